#include <catch2/catch.hpp>

#include "tl/container.hpp"
#include "tl/mtproto.hpp"

using namespace mtp;
namespace mt = mtp::tl::mt;

TEST_CASE("msg_container golden bytes and parse back as views") {
  Bytes ping = tl::serialize(mt::ping{.ping_id = 0x1122334455667788});
  Bytes ack = tl::serialize(mt::msgs_ack{.msg_ids = {1}});
  std::vector<tl::MessageView> msgs = {{0x5e0b800e00000004, 1, ping}, {0x5e0b800e00000008, 2, ack}};
  tl::Writer w;
  tl::write_container(w, msgs);
  CHECK(to_hex(w.payload()) ==
        "dcf8f173" "02000000"
        "040000000e800b5e" "01000000" "0c000000" "ec77be7a" "8877665544332211"
        "080000000e800b5e" "02000000" "14000000" "59b4d662" "15c4b51c" "01000000" "0100000000000000");
  auto parsed = tl::parse_container(w.payload());
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].msg_id == 0x5e0b800e00000004);
  CHECK((*parsed)[1].seqno == 2);
  CHECK(tl::object_id((*parsed)[0].body) == mt::ping::kId);
  CHECK((*parsed)[1].body.data() == w.payload().data() + 8 + 16 + 12 + 16);  // a view into the input
  auto pong = tl::parse<mt::msgs_ack>((*parsed)[1].body);
  REQUIRE(pong.ok());
  CHECK(pong->msg_ids == std::vector<std::int64_t>{1});
}

TEST_CASE("msg_container rejects bad lengths, nesting, truncation and trailing bytes") {
  Bytes ping = tl::serialize(mt::ping{.ping_id = 1});
  std::vector<tl::MessageView> msgs = {{4, 1, ping}};
  tl::Writer w;
  tl::write_container(w, msgs);
  Bytes good(w.payload().begin(), w.payload().end());
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    CHECK_FALSE(tl::parse_container(ByteSpan(good).first(cut)).ok());
  }
  Bytes odd = good;
  odd[8 + 12] = 13;  // body length not a multiple of 4
  CHECK(tl::parse_container(odd).error().type == "TL_BAD_LENGTH");
  Bytes trailing = good;
  trailing.insert(trailing.end(), {0, 0, 0, 0});
  CHECK(tl::parse_container(trailing).error().type == "TL_TRAILING");

  tl::Writer nested;
  std::vector<tl::MessageView> inner = {{8, 3, good}};
  tl::write_container(nested, inner);
  CHECK(tl::parse_container(nested.payload()).error().type == "TL_NESTED_CONTAINER");
}

TEST_CASE("rpc_result and gzip_packed wrap and unwrap an answer") {
  Bytes answer = tl::serialize(mt::pong{.msg_id = 9, .ping_id = 10});
  tl::Writer packed;
  tl::write_gzip_packed(packed, answer);
  tl::Writer w;
  tl::write_rpc_result(w, 77, packed.payload());
  CHECK(to_hex(w.payload().first(12)) == "016d5cf3" "4d00000000000000");
  auto rr = tl::parse_rpc_result(w.payload());
  REQUIRE(rr.ok());
  CHECK(rr->req_msg_id == 77);
  REQUIRE(tl::object_id(rr->result) == tl::kGzipPackedId);
  auto inner = tl::unpack_gzip_packed(rr->result);
  REQUIRE(inner.ok());
  CHECK(*inner == answer);
  CHECK_FALSE(tl::unpack_gzip_packed(rr->result, 8).ok());  // capped
  CHECK_FALSE(tl::parse_rpc_result(w.payload().first(12)).ok());
}
