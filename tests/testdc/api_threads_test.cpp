// Forum topics (messages.getForumTopics / ByID, and channels.getForumTopics of layers 148-219
// renamed), messages.getReplies, messages.getDiscussionMessage, channels.getFullChannel and
// messages.getDialogs, in our layer (Telethon's layer 144 has no forum topics: these are the
// layer-228 side; tests/testdc/world_telethon_test.py is the client side).
#include "api_test_support.hpp"
#include "legacy_methods.hpp"
#include "tl/writer.hpp"

using namespace testdc::test;

namespace {

const char* kManifest = R"({
  "accounts": [{"phone": "15550000001"}, {"phone": "15550000002", "code": "22222"}],
  "channels": [
    {"username": "forum_chat", "forum": true, "members": ["15550000001"], "messages": [{"text": "general"}],
     "topics": [{"title": "Alpha", "messages": [{"text": "a1", "from": "15550000001"}]},
                {"title": "Beta", "messages": [{"text": "b1"}, {"text": "b2"}]},
                {"title": "Gamma"}]},
    {"username": "news_chan", "linked_chat": 1000000555, "members": ["15550000001"], "messages": [
      {"text": "post", "comments": [{"text": "c1", "from": "15550000002"}, {"text": "c2"}]}]},
    {"id": 1000000555, "title": "Chat", "megagroup": true, "members": ["15550000001"]},
    {"id": 1000000777, "title": "Quiet", "members": ["15550000001"]}
  ]
})";

struct Fixture {
  ApiWorld w{ApiWorld::Manifest{kManifest}};
  std::shared_ptr<testdc::AuthKeyInfo> key = w.login(2, "15550000001", "12345");

  api::inputPeerChannel peer(const std::string& username) {
    const auto* c = w.world().find_channel_by_username(username);
    REQUIRE(c);
    return {c->id, c->access_hash};
  }
  api::messages_forumTopics topics(const api::messages_getForumTopics& req) {
    return result_of<api::messages_ForumTopics>(w.call(2, key, req)).get<api::messages_forumTopics>();
  }
  static std::vector<int> ids(const api::messages_forumTopics& t) {
    std::vector<int> out;
    for (const auto& topic : t.topics) {
      out.push_back(topic.is<api::forumTopic>() ? topic.get<api::forumTopic>().id : -topic.get<api::forumTopicDeleted>().id);
    }
    return out;
  }
  std::vector<int> replies(const api::InputPeer& peer, int msg_id) {
    auto r = result_of<api::messages_Messages>(w.call(2, key, api::messages_getReplies{peer, msg_id, 0, 0, 0, 100, 0, 0, 0}));
    std::vector<int> out;
    for (const auto& m : r.get<api::messages_channelMessages>().messages) {
      out.push_back(m.is<api::message>() ? m.get<api::message>().id : m.get<api::messageService>().id);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("messages.getForumTopics: most recently active first, General when it has messages, q, paging") {
  Fixture f;
  // Messages: 1 general, 2 Alpha, 3 a1, 4 Beta, 5 b1, 6 b2, 7 Gamma.
  auto all = f.topics({f.peer("forum_chat"), std::nullopt, 0, 0, 0, 100});
  CHECK(Fixture::ids(all) == std::vector<int>{7, 4, 2, 1});
  CHECK(all.count == 4);
  const auto& beta = all.topics[1].get<api::forumTopic>();
  CHECK(beta.title == "Beta");
  CHECK(beta.top_message == 6);
  CHECK(beta.peer.get<api::peerChannel>().channel_id == f.peer("forum_chat").channel_id);
  CHECK(all.topics[3].get<api::forumTopic>().title == "General");
  CHECK(all.messages.size() == 4);  // each topic's top message
  CHECK(all.topics[2].get<api::forumTopic>().from_id.get<api::peerChannel>().channel_id == f.peer("forum_chat").channel_id);

  CHECK(Fixture::ids(f.topics({f.peer("forum_chat"), std::string("ALP"), 0, 0, 0, 100})) == std::vector<int>{2});
  auto first = f.topics({f.peer("forum_chat"), std::nullopt, 0, 0, 0, 2});
  CHECK(Fixture::ids(first) == std::vector<int>{7, 4});
  CHECK(first.count == 4);
  CHECK(Fixture::ids(f.topics({f.peer("forum_chat"), std::nullopt, 0, 0, 4, 2})) == std::vector<int>{2, 1});
  CHECK(error_of(f.w.call(2, f.key, api::messages_getForumTopics{f.peer("news_chan"), std::nullopt, 0, 0, 0, 10})) ==
        "CHANNEL_FORUM_MISSING 400");

  auto by_id = result_of<api::messages_ForumTopics>(
      f.w.call(2, f.key, api::messages_getForumTopicsByID{f.peer("forum_chat"), {4, 3, 1}}));
  CHECK(Fixture::ids(by_id.get<api::messages_forumTopics>()) == std::vector<int>{4, -3, 1});
}

TEST_CASE("channels.getForumTopics of layers 148-219 is served as messages.getForumTopics") {
  Fixture f;
  const auto p = f.peer("forum_chat");
  // channels.getForumTopics#0de560d1 flags:# channel:InputChannel q:flags.0?string offset_date:int
  // offset_id:int offset_topic:int limit:int, written by hand (our layer has no such method).
  mtp::tl::Writer old;
  old.uint32(0x0de560d1);
  old.uint32(0);
  old.uint32(0xf35aec28);
  old.int64(p.channel_id);
  old.int64(p.access_hash);
  old.int32(0);
  old.int32(0);
  old.int32(0);
  old.int32(100);
  const mtp::Bytes bytes(old.payload().begin(), old.payload().end());
  auto renamed = testdc::rename_legacy_request("channels.getForumTopics", bytes);
  REQUIRE(renamed);
  auto t = result_of<api::messages_ForumTopics>(f.w.call_raw(2, f.key, *renamed));
  CHECK(Fixture::ids(t.get<api::messages_forumTopics>()) == std::vector<int>{7, 4, 2, 1});
  CHECK_FALSE(testdc::rename_legacy_request("channels.getForumTopics", mtp::ByteSpan(bytes).first(10)));
  CHECK_FALSE(testdc::rename_legacy_request("messages.getHistory", bytes));
}

TEST_CASE("messages.getReplies: a topic with its creation message, a post's comments from its group") {
  Fixture f;
  CHECK(f.replies(f.peer("forum_chat"), 4) == std::vector<int>{6, 5, 4});
  CHECK(f.replies(f.peer("forum_chat"), 7) == std::vector<int>{7});
  CHECK(f.replies(f.peer("forum_chat"), 1) == std::vector<int>{1});
  CHECK(f.replies(f.peer("news_chan"), 1) == std::vector<int>{3, 2});
  CHECK(f.replies(api::inputPeerChannel{1000000555, f.w.world().find_channel_by_id(1000000555)->access_hash}, 1) ==
        std::vector<int>{3, 2});
  CHECK(error_of(f.w.call(2, f.key, api::messages_getReplies{f.peer("news_chan"), 9, 0, 0, 0, 10, 0, 0, 0})) ==
        "MSG_ID_INVALID 400");
}

TEST_CASE("discussion: the post's replies, its copy, getDiscussionMessage and the full channel") {
  Fixture f;
  const auto news = f.peer("news_chan");
  auto res = result_of<api::messages_Messages>(
      f.w.call(2, f.key, api::channels_getMessages{api::inputChannel{news.channel_id, news.access_hash}, {api::inputMessageID{1}}}));
  const auto& post = res.get<api::messages_channelMessages>().messages.at(0).get<api::message>();
  REQUIRE(post.replies);
  const auto& replies = post.replies->get<api::messageReplies>();
  CHECK(replies.comments);
  CHECK(replies.replies == 2);
  CHECK(replies.channel_id == std::optional<std::int64_t>(1000000555));
  CHECK(replies.max_id == std::optional<std::int32_t>(3));

  auto disc = result_of<api::messages_DiscussionMessage>(f.w.call(2, f.key, api::messages_getDiscussionMessage{news, 1}))
                  .get<api::messages_discussionMessage>();
  REQUIRE(disc.messages.size() == 1);
  const auto& copy = disc.messages[0].get<api::message>();
  CHECK(copy.id == 1);
  CHECK(copy.peer_id.get<api::peerChannel>().channel_id == 1000000555);
  CHECK(copy.from_id->get<api::peerChannel>().channel_id == news.channel_id);
  const auto& fwd = copy.fwd_from->get<api::messageFwdHeader>();
  CHECK(fwd.channel_post == std::optional<std::int32_t>(1));
  CHECK(disc.max_id == std::optional<std::int32_t>(3));
  CHECK(disc.chats.size() == 2);
  CHECK(disc.users.empty());

  auto full = result_of<api::messages_ChatFull>(
      f.w.call(2, f.key, api::channels_getFullChannel{api::inputChannel{news.channel_id, news.access_hash}}));
  const auto& cf = full.get<api::messages_chatFull>().full_chat.get<api::channelFull>();
  CHECK(cf.linked_chat_id == std::optional<std::int64_t>(1000000555));
  CHECK(full.get<api::messages_chatFull>().chats.size() == 2);
}

TEST_CASE("messages.getDialogs: the account's chats by top message, complete or sliced, paged by the last one") {
  Fixture f;
  auto dialogs = [&](std::int32_t date, std::int32_t id, api::InputPeer peer, std::int32_t limit) {
    return result_of<api::messages_Dialogs>(f.w.call(2, f.key, api::messages_getDialogs{false, std::nullopt, date, id, peer, limit, 0}));
  };
  auto peers = [](const std::vector<api::Dialog>& ds) {
    std::vector<std::int64_t> out;
    for (const auto& d : ds) out.push_back(d.get<api::dialog>().peer.get<api::peerChannel>().channel_id);
    return out;
  };
  // Quiet has no messages: no dialog. Top dates: forum 7, group 3, news 1.
  const std::int64_t forum = f.peer("forum_chat").channel_id, news = f.peer("news_chan").channel_id;
  auto whole = dialogs(0, 0, api::inputPeerEmpty{}, 100);
  REQUIRE(whole.is<api::messages_dialogs>());
  CHECK(peers(whole.get<api::messages_dialogs>().dialogs) == std::vector<std::int64_t>{forum, 1000000555, news});
  auto first = dialogs(0, 0, api::inputPeerEmpty{}, 2);
  REQUIRE(first.is<api::messages_dialogsSlice>());
  CHECK(first.get<api::messages_dialogsSlice>().count == 3);
  const auto& group = *f.w.world().find_channel_by_id(1000000555);
  auto rest = dialogs(static_cast<std::int32_t>(group.messages.back().date), 3, api::inputPeerChannel{group.id, group.access_hash}, 2);
  CHECK(peers(rest.get<api::messages_dialogsSlice>().dialogs) == std::vector<std::int64_t>{news});
  CHECK(rest.get<api::messages_dialogsSlice>().messages.size() == 1);

  auto bob = f.w.login(2, "15550000002", "22222");
  auto none = result_of<api::messages_Dialogs>(f.w.call(2, bob, api::messages_getDialogs{false, std::nullopt, 0, 0, api::inputPeerEmpty{}, 10, 0}));
  CHECK(none.get<api::messages_dialogs>().dialogs.empty());
  CHECK(error_of(f.w.call(2, bob, api::channels_getChannels{{api::inputChannel{group.id, group.access_hash}}})) ==
        "CHANNEL_PRIVATE 400");
}
