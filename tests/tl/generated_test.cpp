// Golden bytes for generated code: every expected byte string below was written by hand from the
// schema (ids are little-endian on the wire), not produced by the code under test.
#include <catch2/catch.hpp>

#include "tl/api.hpp"
#include "tl/mtproto.hpp"
#include "tl/api_registry.hpp"
#include "tl/mtproto_registry.hpp"

using namespace mtp;
namespace api = mtp::tl::api;
namespace mt = mtp::tl::mt;

namespace {
Int128 int128_from_hex(std::string_view hex) {
  Bytes b = from_hex(hex);
  Int128 v{};
  std::copy(b.begin(), b.end(), v.begin());
  return v;
}

api::InputFileLocation sample_location() {
  return api::inputDocumentFileLocation{
      .id = 0x0102030405060708, .access_hash = -2, .file_reference = {0xAA, 0xBB, 0xCC}, .thumb_size = ""};
}

// id bad07584, id, access_hash, bytes(3) aabbcc, string(0) + 3 padding
constexpr const char* kLocationHex =
    "8475d0ba" "0807060504030201" "feffffffffffffff" "03aabbcc" "00000000";
}  // namespace

TEST_CASE("req_pq_multi serialises to the body of VECTORS.md step 1") {
  mt::req_pq_multi req{.nonce = int128_from_hex("406709F612FADFBEC3F0289D0AA67EEF")};
  CHECK(to_hex(tl::serialize(req)) == "f18e7ebe406709f612fadfbec3f0289d0aa67eef");
  static_assert(std::is_same_v<mt::req_pq_multi::ResultType, mt::ResPQ>);

  // And resPQ from step 2 parses (message header of 20 bytes stripped).
  Bytes payload = from_hex(
      "000000000000000001D83175503DC565A800000063241605406709F612FADFBE"
      "C3F0289D0AA67EEFE11DBC3BC97D91A26154F932AF01994308256595EDB77667"
      "9700000015C4B51C03000000A5B7F709355FC30B216BE86C022BB4C385FD64DE"
      "851D9DD0");
  auto res = tl::parse<mt::ResPQ>(ByteSpan(payload).subspan(20));
  REQUIRE(res.ok());
  const auto* pq = res->get_if<mt::resPQ>();
  REQUIRE(pq != nullptr);
  CHECK(pq->nonce == req.nonce);
  CHECK(to_hex(pq->pq) == "256595edb7766797");
  REQUIRE(pq->server_public_key_fingerprints.size() == 3);
  CHECK(static_cast<std::uint64_t>(pq->server_public_key_fingerprints[2]) == 0xd09d1d85de64fd85ull);
}

TEST_CASE("upload.getFile golden bytes without and with flags") {
  api::upload_getFile req{.location = sample_location(), .offset = 1 << 20, .limit = 512 * 1024};
  static_assert(std::is_same_v<api::upload_getFile::ResultType, api::upload_File>);
  std::string tail = std::string(kLocationHex) + "0000100000000000" "00000800";
  CHECK(to_hex(tl::serialize(req)) == "be3553be" "00000000" + tail);

  req.precise = true;
  CHECK(to_hex(tl::serialize(req)) == "be3553be" "01000000" + tail);
  req.cdn_supported = true;
  Bytes both = tl::serialize(req);
  CHECK(to_hex(both) == "be3553be" "03000000" + tail);

  // Fetch restores the flags into the bools.
  auto back = tl::parse<api::upload_getFile>(both);
  REQUIRE(back.ok());
  CHECK(back->precise);
  CHECK(back->cdn_supported);
  CHECK(back->offset == 1 << 20);
  CHECK(back->limit == 512 * 1024);
  const auto* loc = back->location.get_if<api::inputDocumentFileLocation>();
  REQUIRE(loc != nullptr);
  CHECK(loc->file_reference == Bytes{0xAA, 0xBB, 0xCC});
}

TEST_CASE("optional fields set their flag bits and are read only when present") {
  // inputMediaDocument#a8763ab5 flags:# spoiler:flags.2?true id:InputDocument video_cover:flags.3?InputPhoto
  //   video_timestamp:flags.4?int ttl_seconds:flags.0?int query:flags.1?string
  api::inputMediaDocument m{.spoiler = true, .id = api::inputDocumentEmpty{}, .ttl_seconds = 7, .query = "q"};
  // flags = bit2 | bit0 | bit1 = 7; inputDocumentEmpty#72f0eaae; ttl 7; string "q"
  CHECK(to_hex(tl::serialize(api::InputMedia(m))) == "b53a76a8" "07000000" "aeeaf072" "07000000" "01710000");
  auto back = tl::parse<api::InputMedia>(tl::serialize(api::InputMedia(m)));
  REQUIRE(back.ok());
  const auto& d = back->get<api::inputMediaDocument>();
  CHECK(d.spoiler);
  CHECK(d.ttl_seconds == 7);
  CHECK(d.query == std::optional<std::string>("q"));
  CHECK_FALSE(d.video_timestamp.has_value());
  CHECK_FALSE(d.video_cover.has_value());
}

TEST_CASE("boxed values: id, get_if, copies share, unknown id is an error value") {
  api::InputPeer peer = api::inputPeerUser{.user_id = 42, .access_hash = 7};
  CHECK(peer.id() == api::inputPeerUser::kId);
  CHECK(peer.is<api::inputPeerUser>());
  CHECK(peer.get_if<api::inputPeerChat>() == nullptr);
  api::InputPeer copy = peer;
  CHECK(copy.get_if<api::inputPeerUser>() == peer.get_if<api::inputPeerUser>());  // shared, not deep-copied
  CHECK(api::InputPeer().empty());
  CHECK_THROWS_AS(tl::serialize(api::InputPeer()), std::logic_error);

  Bytes unknown = from_hex("efbeadde");
  auto r = tl::parse<api::InputPeer>(unknown);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().type == "TL_UNKNOWN_ID");
  CHECK(r.error().code == kErrMalformed);

  Bytes wrong = tl::serialize(api::inputPeerSelf{});
  auto w = tl::parse<api::upload_getFile>(wrong);
  REQUIRE_FALSE(w.ok());
  CHECK(w.error().type == "TL_BAD_ID");
}

TEST_CASE("vectors: boxed Vector<long> and results that are vectors or Bool") {
  mt::msgs_ack ack{.msg_ids = {1, 2}};
  CHECK(to_hex(tl::serialize(ack)) == "59b4d662" "15c4b51c" "02000000" "0100000000000000" "0200000000000000");
  static_assert(std::is_same_v<api::upload_saveFilePart::ResultType, bool>);
  Bytes t = tl::serialize(true);
  CHECK(to_hex(t) == "b5757299");
  CHECK(tl::parse<bool>(t).value());
  Bytes v = tl::serialize(std::vector<std::int32_t>{5});
  CHECK(to_hex(v) == "15c4b51c" "01000000" "05000000");
  auto back = tl::parse<std::vector<std::int32_t>>(v);
  REQUIRE(back.ok());
  CHECK(*back == std::vector<std::int32_t>{5});
  // A bare vector of bare constructors: future_salts#ae500895 req_msg_id now salts:vector<future_salt>
  mt::future_salts fs{.req_msg_id = 1, .now = 2, .salts = {{.valid_since = 3, .valid_until = 4, .salt = 5}}};
  CHECK(to_hex(tl::serialize(fs)) == "950850ae" "0100000000000000" "02000000" "01000000"
                                      "03000000" "04000000" "0500000000000000");
}

TEST_CASE("generic requests nest as templates and decode with a raw inner query") {
  auto req = api::invokeWithLayer<api::initConnection<api::help_getConfig>>{
      .layer = api::kLayer,
      .query = {.api_id = 1, .device_model = "d", .system_version = "s", .app_version = "a",
                .system_lang_code = "en", .lang_pack = "", .lang_code = "en", .query = {}}};
  static_assert(std::is_same_v<decltype(req)::ResultType, api::Config>);
  static_assert(api::kLayer == 228);
  Bytes bytes = tl::serialize(req);
  // invokeWithLayer#da9b0d0d layer:int(228 = e4) then initConnection#c1cd5ea9 flags=0 ...
  CHECK(to_hex(ByteSpan(bytes).first(16)) == "0d0d9bda" "e4000000" "a95ecdc1" "00000000");
  // ... ending with help.getConfig#c4f9186b.
  CHECK(to_hex(ByteSpan(bytes).last(4)) == "6b18f9c4");

  // A server decodes the wrapper and keeps the inner query as bytes.
  auto outer = tl::parse<api::invokeWithLayer<tl::RawObject>>(bytes);
  REQUIRE(outer.ok());
  CHECK(outer->layer == 228);
  CHECK(outer->query.id() == api::initConnection<tl::RawObject>::kId);
  auto init = tl::parse<api::initConnection<tl::RawObject>>(outer->query.bytes);
  REQUIRE(init.ok());
  CHECK(init->device_model == "d");
  CHECK(init->query.id() == api::help_getConfig::kId);
}

TEST_CASE("registry names every combinator and restores any object") {
  CHECK(api::name_of(0xbe5335be) == "upload.getFile");
  CHECK(mt::name_of(0x62d6b459) == "msgs_ack");
  CHECK(api::name_of(0xdeadbeef).empty());
  Bytes b = tl::serialize(api::upload_getFile{.precise = true, .location = sample_location(), .limit = 4096});
  auto again = api::restore_any(b);
  REQUIRE(again.ok());
  CHECK(*again == b);
}
