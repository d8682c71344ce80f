// The unencrypted envelope: layout, and every malformed variant rejected.
#include <catch2/catch.hpp>

#include "auth/plain_message.hpp"

using namespace mtp;
using namespace mtp::auth;

TEST_CASE("plain message: the official sample's req_pq_multi envelope", "[auth][plain]") {
  // VECTORS.md §1 step 1: auth_key_id 0, msg_id 0x65C53D50000672D4... as wire bytes, length 20.
  const Bytes sample = from_hex("0000000000000000D4720600503DC56514000000F18E7EBE406709F612FADFBEC3F0289D0AA67EEF");
  auto decoded = decode_plain_message(sample);
  REQUIRE(decoded);
  CHECK(decoded->msg_id == 0x65C53D50000672D4);
  CHECK(Bytes(decoded->body.begin(), decoded->body.end()) == Bytes(sample.begin() + 20, sample.end()));
  CHECK(encode_plain_message(decoded->msg_id, decoded->body) == sample);
}

TEST_CASE("plain message: rejects what is not a well-formed plain message", "[auth][plain]") {
  const Bytes body = from_hex("F18E7EBE406709F612FADFBEC3F0289D0AA67EEF");
  const Bytes good = encode_plain_message(0x1234, body);
  REQUIRE(decode_plain_message(good));

  SECTION("shorter than the header") {
    auto r = decode_plain_message(ByteSpan(good).first(19));
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "PLAIN_TRUNCATED");
  }
  SECTION("an auth_key_id: an encrypted message") {
    Bytes bad = good;
    bad[3] = 1;
    auto r = decode_plain_message(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == kErrSecurity);
  }
  SECTION("length longer than the packet") {
    Bytes bad = good;
    bad[16] = 24;
    CHECK(decode_plain_message(bad).error().type == "PLAIN_BAD_LENGTH");
  }
  SECTION("length shorter than the packet (trailing bytes)") {
    Bytes bad = good;
    bad[16] = 16;
    CHECK(decode_plain_message(bad).error().type == "PLAIN_BAD_LENGTH");
    // ... unless the transport pads (padded intermediate: up to 15 bytes).
    auto padded = decode_plain_message(bad, 15);
    REQUIRE(padded);
    CHECK(padded->body.size() == 16);
  }
  SECTION("no body") {
    CHECK(decode_plain_message(ByteSpan(good).first(20)).error().type == "PLAIN_BAD_LENGTH");
    Bytes empty = Bytes(good.begin(), good.begin() + 20);
    empty[16] = 0;
    CHECK(decode_plain_message(empty).error().type == "PLAIN_BAD_LENGTH");
  }
  SECTION("length not a multiple of 4") {
    Bytes bad = good;
    bad[16] = 19;
    CHECK(decode_plain_message(ByteSpan(bad).first(39)).error().type == "PLAIN_BAD_LENGTH");
  }
  SECTION("the sample's server messages carry inconsistent lengths and are refused") {
    // VECTORS.md notes resPQ's length field says 0xA8 for an 80-byte body.
    Bytes res_pq = from_hex(
        "000000000000000001D83175503DC565A800000063241605406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A26154F932AF01"
        "994308256595EDB776679700000015C4B51C03000000A5B7F709355FC30B216BE86C022BB4C385FD64DE851D9DD0");
    CHECK(decode_plain_message(res_pq).error().type == "PLAIN_BAD_LENGTH");
  }
}
