// The layer transcoder: layer-228 objects downgraded to 144 and checked with the runtime decoder on
// the 144 schema; layer selection; malformed input.
#include <catch2/catch.hpp>

#include <random>

#include "layers_fixtures.hpp"
#include "tl/object.hpp"
#include "tl_decode.hpp"

using namespace layers_test;
using testdc::layers::DynValue;

namespace {

DynValue down_decoded(const mtp::Bytes& ours, int layer = 144) {
  auto down = transcoder().downgrade(ours, layer);
  if (!down.ok()) FAIL("downgrade: " << down.error().to_string());
  auto v = testdc::layers::decode(*transcoder().schemas().for_client(layer), *down);
  if (!v.ok()) FAIL("decode in layer " << layer << ": " << v.error().to_string());
  return *v;
}

std::uint32_t id_in(int layer, std::string_view ctor) {
  const auto& s = *transcoder().schemas().for_client(layer);
  const int c = s.find_constructor(ctor);
  return c < 0 ? 0 : s.combinators[c].id;
}

}  // namespace

TEST_CASE("the client's layer selects exactly that layer") {
  const auto& t = transcoder();
  CHECK(t.our_layer() == 228);
  CHECK_FALSE(t.effective_layer(100).has_value());  // older than every schema we have: refused
  CHECK(t.effective_layer(144) == 144);
  CHECK(t.effective_layer(192) == 192);
  CHECK(t.effective_layer(193) == 193);
  CHECK(t.effective_layer(213) == 213);
  CHECK(t.effective_layer(214) == 214);
  CHECK(t.effective_layer(215) == 214);  // never published: the nearest lower one
  CHECK(t.effective_layer(227) == 227);
  CHECK(t.effective_layer(228) == 228);
  CHECK(t.effective_layer(300) == 228);
  auto refused = t.downgrade(mtp::tl::serialize(sample_user()), 100);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().type == "TL_LAYER_UNSUPPORTED");
}

TEST_CASE("layers at or above ours get the bytes unchanged") {
  const mtp::Bytes msg = mtp::tl::serialize(sample_message());
  for (int layer : {228, 229, 500}) {
    auto down = transcoder().downgrade(msg, layer);
    REQUIRE(down.ok());
    CHECK(*down == msg);
  }
}

TEST_CASE("config keeps its DC options in layer 144") {
  const DynValue v = down_decoded(mtp::tl::serialize(sample_config()));
  CHECK(v.ctor == "config");
  CHECK(v.id == 0x330b4067u);
  CHECK(at(v, "this_dc").number == 2);
  CHECK(at(v, "me_url_prefix").bytes == "https://t.me/");
  CHECK(at(v, "suggested_lang_code").bytes == "en");
  const DynValue& dcs = at(v, "dc_options");
  REQUIRE(dcs.items.size() == 3);
  CHECK(dcs.items[1].ctor == "dcOption");
  CHECK(dcs.items[1].has("media_only"));
  CHECK_FALSE(dcs.items[0].has("media_only"));
  CHECK(at(dcs.items[1], "port").number == 10012);
  CHECK(at(dcs.items[2], "ip_address").bytes == "127.0.0.1");
  // Required in 144, absent from 228: defaulted.
  CHECK(at(v, "pinned_dialogs_count_max").number == 0);
}

TEST_CASE("user drops the fields layer 144 does not know") {
  const DynValue v = down_decoded(mtp::tl::serialize(sample_user()));
  CHECK(v.ctor == "user");
  CHECK(v.id == id_in(144, "user"));
  CHECK(v.id != api::user::kId);
  CHECK(v.has("self"));
  CHECK(at(v, "id").number == 1001);
  CHECK(at(v, "access_hash").number == 0x1122334455667788);
  CHECK(at(v, "first_name").bytes == "Alice");
  CHECK(at(v, "username").bytes == "alice_test");
  CHECK(at(v, "status").ctor == "userStatusRecently");
  CHECK_FALSE(v.has("usernames"));
  CHECK_FALSE(v.has("emoji_status"));
}

TEST_CASE("message with a video document: media, document and attributes in layer 144") {
  const DynValue v = down_decoded(mtp::tl::serialize(sample_message()));
  CHECK(v.ctor == "message");
  CHECK(v.id == id_in(144, "message"));
  CHECK(at(v, "id").number == 3);
  CHECK(at(at(v, "peer_id"), "channel_id").number == 2002);
  CHECK(at(v, "message").bytes == "a demo video");
  CHECK(at(v, "grouped_id").number == 777);
  const DynValue& media = at(v, "media");
  CHECK(media.ctor == "messageMediaDocument");
  CHECK(media.id == id_in(144, "messageMediaDocument"));
  CHECK(at(media, "flags").number == 1);  // only document: video (bit 6) does not exist in 144
  const DynValue& doc = at(media, "document");
  CHECK(doc.ctor == "document");
  CHECK(at(doc, "size").number == 50LL * 1024 * 1024 + 5);
  CHECK(at(doc, "dc_id").number == 2);
  CHECK(at(doc, "file_reference").bytes.size() == 20);
  const DynValue& attrs = at(doc, "attributes");
  REQUIRE(attrs.items.size() == 2);
  const DynValue& video = attrs.items[0];
  CHECK(video.id == 0x0ef02ce6u);
  CHECK(at(video, "flags").number == 2);  // supports_streaming only (nosound is newer)
  CHECK(at(video, "duration").number == 12);
  CHECK(at(video, "w").number == 640);
  CHECK(at(attrs.items[1], "file_name").bytes == "demo.mp4");
}

TEST_CASE("media unknown to the client's layer becomes messageMediaUnsupported") {
  for (const Sample& s : all_samples()) {
    if (s.label != "story_message") continue;
    const DynValue v = down_decoded(s.bytes);
    CHECK(at(v, "media").ctor == "messageMediaUnsupported");
    // Layer 193 has stories: the media survives there.
    CHECK(at(down_decoded(s.bytes, 193), "media").ctor == "messageMediaStory");
  }
}

TEST_CASE("password with the SRP algorithm in layer 144") {
  const DynValue v = down_decoded(mtp::tl::serialize(sample_password()));
  CHECK(v.ctor == "account.password");
  CHECK(v.has("has_password"));
  const DynValue& algo = at(v, "current_algo");
  CHECK(algo.ctor == "passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow");
  CHECK(at(algo, "g").number == 3);
  CHECK(at(algo, "p").bytes.size() == 256);
  CHECK(at(v, "srp_B").bytes.size() == 256);
  CHECK(at(v, "srp_id").number == 0x5555);
  CHECK(at(v, "hint").bytes == "horse");
}

TEST_CASE("every sample downgrades to every older layer and decodes there") {
  for (int layer : transcoder().schemas().layers()) {
    for (const Sample& s : all_samples()) {
      INFO(s.label << " to layer " << layer);
      const DynValue v = down_decoded(s.bytes, layer);
      CHECK((v.is_vector || !v.ctor.empty()));
    }
  }
}

TEST_CASE("objects identical in both layers are copied, not rewritten") {
  for (const Sample& s : all_samples()) {
    if (s.label != "upload_file") continue;
    auto down = transcoder().downgrade(s.bytes, 144);
    REQUIRE(down.ok());
    CHECK(*down == s.bytes);
  }
}

TEST_CASE("malformed input is an error, never a crash") {
  const mtp::Bytes msg = mtp::tl::serialize(sample_message());
  for (std::size_t n = 0; n < msg.size(); ++n) {
    auto down = transcoder().downgrade(mtp::ByteSpan(msg).first(n), 144);
    INFO("prefix " << n);
    CHECK_FALSE(down.ok());
  }
  mtp::Bytes trailing = msg;
  trailing.insert(trailing.end(), {0, 0, 0, 0});
  auto t = transcoder().downgrade(trailing, 144);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().type == "TL_TRAILING");
  auto unknown = transcoder().downgrade(mtp::Bytes{0xde, 0xad, 0xbe, 0xef}, 144);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().type == "TL_UNKNOWN_ID");
  // Random mutations of a real object: rejected, or rewritten into something well-formed.
  std::mt19937 rng(1234);
  const auto& old_schema = *transcoder().schemas().for_client(144);
  const auto& ours = transcoder().schemas().ours();
  int accepted = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    mtp::Bytes m = msg;
    for (int k = 0; k < 3; ++k) m[rng() % m.size()] = static_cast<std::uint8_t>(rng());
    auto down = transcoder().downgrade(m, 144);
    auto up = transcoder().upgrade(m, 144);
    if (down.ok()) {
      ++accepted;
      CHECK(testdc::layers::decode(old_schema, *down).ok());
    } else {
      ++rejected;
    }
    if (up.ok()) CHECK(testdc::layers::decode(ours, *up).ok());
  }
  CHECK(accepted > 0);
  CHECK(rejected > 0);
}
