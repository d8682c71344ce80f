// Seeded round trips through every codec, with and without obfuscation, in both directions,
// with the wire cut one byte at a time and at random points.
#include <catch2/catch.hpp>

#include <random>

#include "test_support.hpp"
#include "transport/transport_codec.hpp"

using namespace mtp;
using namespace mtp::transport;
using namespace mtp::transport::test;

namespace {

struct Variant {
  TransportKind kind;
  bool obfuscated;
};

std::vector<Variant> all_variants() {
  return {{TransportKind::kAbridged, false},           {TransportKind::kIntermediate, false},
          {TransportKind::kPaddedIntermediate, false}, {TransportKind::kFull, false},
          {TransportKind::kAbridged, true},            {TransportKind::kIntermediate, true},
          {TransportKind::kPaddedIntermediate, true}};
}

enum class Split { kOneByte, kRandom, kWhole };

// Feeds `wire` to `codec` in pieces and collects every packet.
std::vector<OwnedPacket> feed_split(TransportCodec& codec, const Bytes& wire, Split split, std::mt19937_64& rng) {
  std::vector<OwnedPacket> out;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    std::size_t n = wire.size() - pos;
    if (split == Split::kOneByte) n = 1;
    if (split == Split::kRandom) n = std::min<std::size_t>(n, 1 + rng() % 70000);
    codec.feed(ByteSpan(wire).subspan(pos, n));
    pos += n;
    auto got = drain(codec);
    out.insert(out.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
  }
  return out;
}

void check_same(const std::vector<Bytes>& sent, const std::vector<OwnedPacket>& received, TransportKind kind) {
  REQUIRE(received.size() == sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    REQUIRE(received[i].type == Packet::Type::kData);
    if (kind == TransportKind::kPaddedIntermediate) {
      REQUIRE(received[i].payload.size() >= sent[i].size());
      REQUIRE(received[i].payload.size() <= sent[i].size() + 15);
      REQUIRE(std::equal(sent[i].begin(), sent[i].end(), received[i].payload.begin()));
    } else {
      REQUIRE(received[i].payload == sent[i]);
    }
  }
}

void run_round_trip(const Variant& v, Split split, std::size_t max_size, std::uint64_t seed) {
  INFO(to_string(v.kind) << (v.obfuscated ? " obfuscated" : "") << " split " << static_cast<int>(split)
                         << " seed " << seed);
  std::mt19937_64 rng(seed);
  auto client = TransportCodec::client({v.kind, v.obfuscated, {}, 0, kDefaultMaxPacket, seeded_random(seed + 1)});
  REQUIRE(client);
  auto server = TransportCodec::server({{}, kDefaultMaxPacket, seeded_random(seed + 2)});

  // Client -> server, including the preamble and detection.
  std::vector<Bytes> sent;
  Bytes wire = client->take_preamble();
  for (int i = 0; i < 12; ++i) {
    sent.push_back(random_bytes(rng, 4 * (1 + rng() % (max_size / 4))));
    Frame frame = Frame::copy_of(sent.back());
    REQUIRE(client->encode(frame));
    wire.insert(wire.end(), frame.wire().begin(), frame.wire().end());
  }
  check_same(sent, feed_split(server, wire, split, rng), v.kind);
  CHECK(server.kind() == v.kind);
  CHECK(server.obfuscated() == v.obfuscated);
  CHECK(server.buffered() == 0);

  // Server -> client.
  sent.clear();
  wire.clear();
  for (int i = 0; i < 12; ++i) {
    sent.push_back(random_bytes(rng, 4 * (1 + rng() % (max_size / 4))));
    Frame frame = Frame::copy_of(sent.back());
    REQUIRE(server.encode(frame));
    wire.insert(wire.end(), frame.wire().begin(), frame.wire().end());
  }
  check_same(sent, feed_split(*client, wire, split, rng), v.kind);
}

}  // namespace

TEST_CASE("round trips fed one byte at a time", "[transport][roundtrip]") {
  std::uint64_t seed = 100;
  for (const auto& v : all_variants()) run_round_trip(v, Split::kOneByte, 2048, seed++);
}

TEST_CASE("round trips fed in random splits, up to 1 MiB packets", "[transport][roundtrip]") {
  std::uint64_t seed = 200;
  for (const auto& v : all_variants()) {
    run_round_trip(v, Split::kRandom, 600, seed++);
    run_round_trip(v, Split::kRandom, std::size_t{1} << 20, seed++);
  }
}

TEST_CASE("many packets in one feed all come out", "[transport][roundtrip]") {
  std::uint64_t seed = 300;
  for (const auto& v : all_variants()) run_round_trip(v, Split::kWhole, 5000, seed++);
}

TEST_CASE("packet views stay valid until the next feed", "[transport]") {
  auto client = TransportCodec::client({TransportKind::kIntermediate, false, {}, 0, kDefaultMaxPacket, {}});
  REQUIRE(client);
  auto server = TransportCodec::server({});
  Bytes wire = client->take_preamble();
  for (std::uint8_t fill : {0x01, 0x02, 0x03}) {
    Frame frame = Frame::copy_of(Bytes(64, fill));
    REQUIRE(client->encode(frame));
    wire.insert(wire.end(), frame.wire().begin(), frame.wire().end());
  }
  server.feed(wire);
  std::vector<ByteSpan> views;
  for (int i = 0; i < 3; ++i) {
    auto next = server.next();
    REQUIRE(next);
    REQUIRE(*next);
    views.push_back((*next)->payload);
  }
  for (std::size_t i = 0; i < 3; ++i) CHECK(views[i][0] == i + 1);
}
