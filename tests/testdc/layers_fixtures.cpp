#include "layers_fixtures.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

#include "layer_directory.hpp"
#include "tl/object.hpp"

namespace layers_test {

std::filesystem::path layers_dir() {
  // The official schemas are not part of the project: the tests read them where the test DC does.
  const auto dir = testdc::layers::default_layers_dir();
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("the layer schemas are missing: " + dir.string());
  }
  return dir;
}

const testdc::layers::LayerTranscoder& transcoder() {
  static const std::shared_ptr<const testdc::layers::LayerTranscoder> t = [] {
    auto set = testdc::layers::SchemaSet::load(layers_dir());
    if (!set.ok()) throw std::runtime_error(set.error().to_string());
    return testdc::layers::LayerTranscoder::create(std::move(*set));
  }();
  return *t;
}

namespace {

mtp::Bytes filled(std::size_t n, std::uint8_t seed) {
  mtp::Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

}  // namespace

api::User sample_user() {
  api::user u;
  u.self = true;
  u.premium = true;
  u.id = 1001;
  u.access_hash = 0x1122334455667788;
  u.first_name = "Alice";
  u.username = "alice_test";
  u.phone = "15550000001";
  u.photo = api::UserProfilePhoto(api::userProfilePhotoEmpty{});
  u.status = api::UserStatus(api::userStatusRecently{});
  u.emoji_status = api::EmojiStatus(api::emojiStatus{.document_id = 5, .until = std::nullopt});  // a newer type
  u.usernames = std::vector<api::Username>{api::username{.editable = true, .active = true, .username_ = "alice_test"}};
  return u;
}

api::Chat sample_channel() {
  api::channel c;
  c.broadcast = true;
  c.id = 2002;
  c.access_hash = -42;
  c.title = "Demo channel";
  c.username = "tgdemo";
  c.photo = api::chatPhotoEmpty{};
  c.date = 1700000000;
  c.participants_count = 12;
  c.color = api::PeerColor(api::peerColor{.color = 3, .background_emoji_id = std::nullopt});  // not in 144
  return c;
}

api::Document sample_document() {
  api::document d;
  d.id = 3003;
  d.access_hash = 0x0102030405060708;
  d.file_reference = filled(20, 1);
  d.date = 1700000100;
  d.mime_type = "video/mp4";
  d.size = 50LL * 1024 * 1024 + 5;
  d.dc_id = 2;
  api::documentAttributeVideo video;
  video.supports_streaming = true;
  video.nosound = true;          // not in 144
  video.duration = 12.75;        // a double in 228, an int in 144
  video.w = 640;
  video.h = 360;
  video.video_codec = "h264";    // not in 144
  d.attributes = {api::DocumentAttribute(video), api::DocumentAttribute(api::documentAttributeFilename{.file_name = "demo.mp4"})};
  return d;
}

api::Photo sample_photo() {
  api::photo p;
  p.id = 4004;
  p.access_hash = 99;
  p.file_reference = filled(8, 9);
  p.date = 1700000200;
  p.sizes = {api::PhotoSize(api::photoSize{.type = "x", .w = 800, .h = 600, .size = 12345})};
  p.dc_id = 4;
  return p;
}

api::Message sample_message() {
  api::message m;
  m.post = true;
  m.id = 3;
  m.peer_id = api::peerChannel{.channel_id = 2002};
  m.date = 1700000300;
  m.message_ = "a demo video";
  api::messageMediaDocument media;
  media.video = true;  // flags.6 in 228, absent in 144
  media.document = sample_document();
  m.media = api::MessageMedia(media);
  m.views = 10;     // views and forwards share flags.10
  m.forwards = 1;
  m.grouped_id = 777;
  return m;
}

api::Config sample_config() {
  api::config c;
  c.date = 1700000000;
  c.expires = 1700003600;
  c.test_mode = false;
  c.this_dc = 2;
  c.dc_options = {api::dcOption{.id = 1, .ip_address = "127.0.0.1", .port = 10001},
                  api::dcOption{.media_only = true, .id = 2, .ip_address = "127.0.0.1", .port = 10012},
                  api::dcOption{.id = 2, .ip_address = "127.0.0.1", .port = 10002}};
  c.dc_txt_domain_name = "apv3.stel.com";
  c.chat_size_max = 200;
  c.megagroup_size_max = 200000;
  c.me_url_prefix = "https://t.me/";
  c.caption_length_max = 1024;
  c.message_length_max = 4096;
  c.webfile_dc_id = 4;
  // flags.2 covers all three: Telegram sends them together.
  c.suggested_lang_code = "en";
  c.lang_pack_version = 1;
  c.base_lang_pack_version = 1;
  return c;
}

api::account_Password sample_password() {
  api::passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow algo;
  algo.salt1 = filled(40, 3);
  algo.salt2 = filled(16, 4);
  algo.g = 3;
  algo.p = filled(256, 5);
  api::account_password p;
  p.has_password = true;
  p.current_algo = api::PasswordKdfAlgo(algo);
  p.srp_B = filled(256, 6);
  p.srp_id = 0x5555;
  p.hint = "horse";
  p.new_algo = algo;
  p.new_secure_algo = api::securePasswordKdfAlgoPBKDF2HMACSHA512iter100000{.salt = filled(8, 7)};
  p.secure_random = filled(32, 8);
  return p;
}

std::vector<Sample> all_samples() {
  using mtp::tl::serialize;
  std::vector<Sample> out;
  out.push_back({"config", serialize(sample_config())});
  out.push_back({"user", serialize(sample_user())});
  out.push_back({"channel", serialize(sample_channel())});
  out.push_back({"message", serialize(sample_message())});
  out.push_back({"document", serialize(sample_document())});
  out.push_back({"photo", serialize(sample_photo())});
  out.push_back({"password", serialize(sample_password())});
  out.push_back({"authorization", serialize(api::auth_Authorization(api::auth_authorization{.user = sample_user()}))});
  api::auth_sentCode sent;
  sent.type = api::auth_sentCodeTypeApp{.length = 5};
  sent.phone_code_hash = "hash-1";
  sent.next_type = api::auth_CodeType(api::auth_codeTypeSms{});
  sent.timeout = 60;
  out.push_back({"sent_code", serialize(api::auth_SentCode(sent))});
  api::contacts_resolvedPeer resolved;
  resolved.peer = api::peerChannel{.channel_id = 2002};
  resolved.chats = {sample_channel()};
  out.push_back({"resolved_peer", serialize(api::contacts_ResolvedPeer(resolved))});
  api::upload_file file;
  file.type = api::storage_filePartial{};
  file.mtime = 1700000400;
  file.bytes = filled(4096, 11);
  out.push_back({"upload_file", serialize(api::upload_File(file))});
  api::messages_channelMessages history;
  history.pts = 50;
  history.count = 1;
  history.messages = {sample_message()};
  history.chats = {sample_channel()};
  out.push_back({"channel_messages", serialize(api::messages_Messages(history))});
  out.push_back({"users", serialize(std::vector<api::User>{sample_user(), sample_user()})});
  api::message story_msg;
  story_msg.id = 9;
  story_msg.peer_id = api::peerChannel{.channel_id = 2002};
  story_msg.media = api::MessageMedia(api::messageMediaStory{.peer = api::peerUser{.user_id = 1}, .id = 4});
  out.push_back({"story_message", serialize(api::Message(story_msg))});
  return out;
}

const testdc::layers::DynValue& at(const testdc::layers::DynValue& v, std::string_view name) {
  const testdc::layers::DynValue* f = v.field(name);
  if (f == nullptr) FAIL("missing field " << name << " in " << v.ctor);
  return *f;
}

}  // namespace layers_test
