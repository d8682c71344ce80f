// contacts.resolveUsername, users.getUsers, channels.getChannels, channels.getMessages,
// messages.getMessages and messages.getHistory on public and private channels.
#include "api_test_support.hpp"

using namespace testdc::test;
using testdc::ApiReply;

namespace {

const testdc::Channel& channel(ApiWorld& w, std::int64_t id) {
  const auto* c = w.world().find_channel_by_id(id);
  REQUIRE(c);
  return *c;
}

ApiReply resolve(ApiWorld& w, const std::shared_ptr<testdc::AuthKeyInfo>& key, const std::string& name) {
  return w.call(2, key, api::contacts_resolveUsername{name, std::nullopt});
}

}  // namespace

TEST_CASE("contacts.resolveUsername: channels and users, case-insensitive, Telegram's username rule") {
  ApiWorld w;
  CHECK(error_of(resolve(w, w.new_key(2), "tgdemo")) == "AUTH_KEY_UNREGISTERED 401");
  auto key = w.login(2, "15550000001", "12345");

  auto peer = result_of<api::contacts_ResolvedPeer>(resolve(w, key, "TGDEMO")).get<api::contacts_resolvedPeer>();
  const auto* demo = w.world().find_channel_by_username("tgdemo");
  REQUIRE(demo);
  CHECK(peer.peer.get<api::peerChannel>().channel_id == demo->id);
  REQUIRE(peer.chats.size() == 1);
  const auto& chan = peer.chats[0].get<api::channel>();
  CHECK(chan.access_hash == demo->access_hash);
  CHECK(chan.username == std::optional<std::string>("TgDemo"));
  CHECK(chan.broadcast);

  auto user = result_of<api::contacts_ResolvedPeer>(resolve(w, key, "TGGET_bot")).get<api::contacts_resolvedPeer>();
  CHECK(user.peer.get<api::peerUser>().user_id == kBot);
  REQUIRE(user.users.size() == 1);
  CHECK(user.users[0].get<api::user>().bot);

  for (const char* bad : {"abcd", "1abcde", "ab-cde", "", "tg demo", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    INFO(bad);
    CHECK(error_of(resolve(w, key, bad)) == "USERNAME_INVALID 400");
  }
  CHECK(error_of(resolve(w, key, "nobody_here")) == "USERNAME_NOT_OCCUPIED 400");
}

TEST_CASE("users.getUsers: self and others by id with the right access_hash") {
  ApiWorld w;
  auto key = w.login(2, "15550000001", "12345");
  const auto* bot = w.world().find_account_by_id(kBot);
  auto users = result_of<std::vector<api::User>>(w.call(
      2, key, api::users_getUsers{{api::inputUserSelf{}, api::inputUser{kBot, bot->access_hash}, api::inputUser{kBot, 1}}}));
  REQUIRE(users.size() == 2);
  CHECK(users[0].get<api::user>().self);
  CHECK(users[0].get<api::user>().id == kUserPlain);
  CHECK(users[1].get<api::user>().id == kBot);
  CHECK_FALSE(users[1].get<api::user>().self);
}

TEST_CASE("channels.getMessages: documents, albums, missing ids, access checks") {
  ApiWorld w;
  auto key = w.login(2, "15550000001", "12345");
  const auto* demo = w.world().find_channel_by_username("tgdemo");
  REQUIRE(demo);
  auto res = result_of<api::messages_Messages>(w.call(
      2, key, api::channels_getMessages{api::inputChannel{demo->id, demo->access_hash},
                                        {api::inputMessageID{2}, api::inputMessageID{3}, api::inputMessageID{4},
                                         api::inputMessageID{99}}}));
  const auto& msgs = res.get<api::messages_channelMessages>();
  REQUIRE(msgs.messages.size() == 4);
  REQUIRE(msgs.chats.size() == 1);
  const auto& two = msgs.messages[0].get<api::message>();
  CHECK(two.id == 2);
  CHECK(two.message_ == "two");
  CHECK(two.peer_id.get<api::peerChannel>().channel_id == demo->id);
  CHECK(two.grouped_id == std::optional<std::int64_t>(77));
  const auto& media = two.media->get<api::messageMediaDocument>();
  CHECK(media.video);
  const auto& doc = media.document->get<api::document>();
  const testdc::Document& want = *demo->find_message(2)->document;
  CHECK(doc.id == want.id);
  CHECK(doc.access_hash == want.access_hash);
  CHECK(doc.size == kBigSize);
  CHECK(doc.dc_id == 2);
  CHECK(doc.mime_type == "video/mp4");
  CHECK_FALSE(doc.file_reference.empty());
  CHECK(doc.date > 0);
  bool has_name = false, has_video = false;
  for (const auto& a : doc.attributes) {
    if (const auto* f = a.get_if<api::documentAttributeFilename>()) has_name = f->file_name == "clip.mp4";
    if (const auto* v = a.get_if<api::documentAttributeVideo>()) {
      has_video = v->w == 1280 && v->h == 720 && v->duration == 12.5 && v->supports_streaming;
    }
  }
  CHECK(has_name);
  CHECK(has_video);
  CHECK(msgs.messages[1].get<api::message>().grouped_id == std::optional<std::int64_t>(77));
  CHECK(document_of(msgs.messages[1].get<api::message>()).dc_id == 4);
  CHECK_FALSE(msgs.messages[2].get<api::message>().media.has_value());
  CHECK(msgs.messages[3].get<api::messageEmpty>().id == 99);

  CHECK(error_of(w.call(2, key, api::channels_getMessages{api::inputChannel{demo->id, demo->access_hash + 1},
                                                          {api::inputMessageID{1}}})) == "CHANNEL_INVALID 400");
  CHECK(error_of(w.call(2, key, api::channels_getMessages{api::inputChannelEmpty{}, {api::inputMessageID{1}}})) ==
        "CHANNEL_INVALID 400");
}

TEST_CASE("private channels are readable by members only") {
  ApiWorld w;
  const auto& secret = channel(w, 555);
  const api::inputChannel input{secret.id, secret.access_hash};
  auto outsider = w.login(2, "15550000001", "12345");
  CHECK(error_of(w.call(2, outsider, api::channels_getMessages{input, {api::inputMessageID{1}}})) ==
        "CHANNEL_PRIVATE 400");
  CHECK(error_of(w.call(2, outsider, api::channels_getChannels{{input}})) == "CHANNEL_PRIVATE 400");
  CHECK(error_of(w.call(2, outsider, api::messages_getHistory{api::inputPeerChannel{secret.id, secret.access_hash},
                                                               0, 0, 0, 10, 0, 0, 0})) == "CHANNEL_PRIVATE 400");

  // The member (2FA account) logs in through SRP-free means here: bind directly, as signIn would.
  auto member = w.new_key(2);
  w.state().api().bind(*member, kUser2fa);
  auto res = result_of<api::messages_Messages>(w.call(2, member, api::channels_getMessages{input, {api::inputMessageID{1}}}));
  CHECK(res.get<api::messages_channelMessages>().messages[0].get<api::message>().message_ == "hidden");
  auto chats = result_of<api::messages_Chats>(w.call(2, member, api::channels_getChannels{{input}}));
  const auto& c = chats.get<api::messages_chats>().chats.at(0).get<api::channel>();
  CHECK(c.id == 555);
  CHECK_FALSE(c.left);
  CHECK_FALSE(c.username.has_value());
}

TEST_CASE("messages.getHistory pages newest first, messages.getMessages finds nothing outside channels") {
  ApiWorld w;
  auto key = w.login(2, "15550000001", "12345");
  const auto* demo = w.world().find_channel_by_username("tgdemo");
  const api::inputPeerChannel peer{demo->id, demo->access_hash};
  auto ids = [&](std::int32_t offset_id, std::int32_t add_offset, std::int32_t limit, std::int32_t max_id,
                 std::int32_t min_id) {
    auto res = result_of<api::messages_Messages>(
        w.call(2, key, api::messages_getHistory{peer, offset_id, 0, add_offset, limit, max_id, min_id, 0}));
    const auto& m = res.get<api::messages_channelMessages>();
    CHECK(m.count == 4);
    std::vector<int> out;
    for (const auto& msg : m.messages) out.push_back(msg.get<api::message>().id);
    return out;
  };
  CHECK(ids(0, 0, 100, 0, 0) == std::vector<int>{4, 3, 2, 1});
  CHECK(ids(0, 0, 2, 0, 0) == std::vector<int>{4, 3});
  CHECK(ids(3, 0, 10, 0, 0) == std::vector<int>{2, 1});
  CHECK(ids(3, -1, 2, 0, 0) == std::vector<int>{3, 2});
  CHECK(ids(0, 0, 10, 4, 1) == std::vector<int>{3, 2});
  CHECK(ids(0, 0, 0, 0, 0).empty());
  CHECK(error_of(w.call(2, key, api::messages_getHistory{api::inputPeerChannel{demo->id, 1}, 0, 0, 0, 10, 0, 0, 0})) ==
        "CHANNEL_INVALID 400");

  auto plain = result_of<api::messages_Messages>(w.call(2, key, api::messages_getMessages{{api::inputMessageID{5}}}));
  CHECK(plain.get<api::messages_messages>().messages.at(0).get<api::messageEmpty>().id == 5);
}
