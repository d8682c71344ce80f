// MTProto 2.0 packet encryption/decryption. Vectors: VECTORS.md section 3 (Lonami/grammers unit
// tests @ fa7692e4, re-verified with an independent Python implementation).
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "crypto/aes_ige.hpp"
#include "crypto/message_cipher.hpp"
#include "crypto_test_support.hpp"

using crypto_test::counting_auth_key;

using namespace mtp;
using crypto::MessageCipher;
using Role = MessageCipher::Role;

namespace {

using AuthKey = std::array<std::uint8_t, 256>;

AuthKey random_auth_key(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  AuthKey key{};
  for (auto& b : key) b = static_cast<std::uint8_t>(rng());
  return key;
}

void zero_fill(MutableByteSpan s) { std::fill(s.begin(), s.end(), 0); }

MessageCipher::RandomFill seeded_fill(std::uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng](MutableByteSpan s) { for (auto& b : s) b = static_cast<std::uint8_t>((*rng)()); };
}

void put_le(Bytes& b, std::size_t at, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// salt | session_id | msg_id | seq_no | length | body.
Bytes make_plaintext(std::int64_t salt, std::int64_t session, std::int64_t msg_id, std::int32_t seq, const Bytes& body) {
  Bytes p(32 + body.size());
  put_le(p, 0, static_cast<std::uint64_t>(salt), 8);
  put_le(p, 8, static_cast<std::uint64_t>(session), 8);
  put_le(p, 16, static_cast<std::uint64_t>(msg_id), 8);
  put_le(p, 24, static_cast<std::uint32_t>(seq), 4);
  put_le(p, 28, body.size(), 4);
  std::copy(body.begin(), body.end(), p.begin() + 32);
  return p;
}

// Seals arbitrary bytes (padding included, any header) with a *correct* msg_key, the way a
// misbehaving peer holding the key would: each rejection test then isolates one check.
Bytes seal_raw(const AuthKey& auth_key, crypto::Direction direction, const Bytes& padded) {
  MessageCipher any(auth_key, Role::kClient);
  Bytes packet(24 + padded.size());
  std::memcpy(packet.data(), any.auth_key_id_bytes().data(), 8);
  const Int128 msg_key = crypto::compute_msg_key(auth_key, padded, direction);
  std::memcpy(packet.data() + 8, msg_key.data(), 16);
  const auto aes = crypto::derive_message_aes_key(auth_key, msg_key, direction);
  crypto::aes_ige_encrypt(aes.key, aes.iv, padded, MutableByteSpan(packet).subspan(24));
  return packet;
}

std::string rejection(const MessageCipher& cipher, Bytes packet) {
  auto r = cipher.decrypt_in_place(packet);
  if (r.ok()) return "accepted";
  CHECK(r.error().code == kErrSecurity);
  return r.error().type;
}

}  // namespace

TEST_CASE("message cipher: padding rule keeps 12..27 bytes and whole blocks") {
  for (std::size_t n = 0; n < 200; ++n) {
    const std::size_t pad = crypto::message_padding(n);
    CHECK(pad >= 12);
    CHECK(pad <= 27);
    CHECK((n + pad) % 16 == 0);
    CHECK(crypto::encrypted_message_size(n) == 24 + n + pad);
  }
}

TEST_CASE("message cipher: grammers encrypt_data_v2 vector (client -> server)") {
  // grammers pads 16 + (16 - len % 16) bytes; for its 45-byte plaintext that is 19, the same as our
  // minimal rule, and its padding is zeros: injected here through the random source.
  const AuthKey auth_key = counting_auth_key();
  MessageCipher client(auth_key, Role::kClient, zero_fill);
  CHECK(to_hex(client.auth_key_id_bytes()) == "32d1586ea457dfc8");
  const std::string text = "Hello, world! This data should remain secure!";
  REQUIRE(text.size() == 45);
  Bytes out(crypto::encrypted_message_size(text.size()));
  auto sealed = client.encrypt(as_bytes(text), out);
  REQUIRE(sealed.ok());
  CHECK(to_hex(*sealed) ==
        "32d1586ea457dfc8a81729d46db54019a2bfd7f744f9b96c4f716cfdc4477db2"
        "a2c15f6ddb85235fb9552f1d8407c6aaea00cc844c5a1bf6ac44b79b5edc2a23"
        "868b3d6073a590992c0f2975243d563ea180d218ee757c9a");

  // The same bytes written by the caller at out[24:] and sealed in place give the same packet.
  Bytes inplace(out.size() + 100, 0xCC);
  std::memcpy(inplace.data() + 24, text.data(), text.size());
  auto sealed2 = client.encrypt_in_place(inplace, text.size());
  REQUIRE(sealed2.ok());
  CHECK(sealed2->size() == out.size());
  CHECK(to_hex(*sealed2) == to_hex(*sealed));
  CHECK(inplace[out.size()] == 0xCC);  // nothing written past the packet
}

TEST_CASE("message cipher: grammers decrypt_data_v2 vector (server -> client)") {
  const Bytes key_bytes = from_hex(
      "5D2E7D65F49EC28BD029A88761EA27B8A4C79F12226525443E7D7C596EF33035"
      "30DB2107E89AA997C7A0164AB694187ADEFF156BD6EF7118A1962347753C0E7E"
      "89A0354B8EC364F9997E71BC6923FB86E8E43491E010606A6CE845E2FA019409"
      "77EF0AA32ADF5A97DBF6D428EC0434D717A2D3AD19622CC05887642113C7965F"
      "FB862A3E3CCB0AB95ADDDA57F89245DBD76B492348F8E94BD5A7C0E0B8480852"
      "3CFD1EA80B32FE9AD198BC2E103FCEB7D52492ECC0273A28674BC923EEE59265"
      "AB17A002DF1F4AA2C59B819A5E5E1D105EC117336F5C76C6B187037D4B4270CE"
      "E9CC21071D97E9BCA220C6D7B01B998CF2E5CDB9A50ECDA1852A36E635690C8E");
  REQUIRE(key_bytes.size() == 256);
  AuthKey auth_key{};
  std::copy(key_bytes.begin(), key_bytes.end(), auth_key.begin());
  Bytes packet = from_hex(
      "7A7183C2C10E4F4DF945FA9A9ABD35E7C3840B61F045304F39674C19C0E20978"
      "4F50F6226A073529D675C92CBF0BFA8C99A79B3F39C72A5D9A026D431AB7407C"
      "A04ECC55187D6C45F17871524EDD90CEA02ED728E14D7CB18AEA2A636158F094"
      "59A9437710D894C79F368C4E8164B7647EA98612AEFE942C5D92121ACB8DB02D"
      "CCCEB66D0F8720AC12A06DB0582BFD955BE34F365118E3BAB8CD080CE6B45B28"
      "EAC56DCD2A29374E");
  const std::string expected_plain =
      "fc826a02248b28fd60f2c4822443ad6801f0c1c2918b305e0200000058000000"
      "dcf8f1730200000001a8c1c2918b305e010000001c0000000809c29ec4fd33ad"
      "918b305e18a88ea607ee5816fc826a02248b28fd01ccc1c2918b305e02000000"
      "14000000c5737734c4fd33ad918b305e6408300000000000fce66704a3cd8ee9"
      "d0ae6fab672c60c04a3f1fd4490e51f6";

  // A server cipher expects x = 0 and must refuse what the server itself sent.
  CHECK(rejection(MessageCipher(auth_key, Role::kServer), packet) == "MSG_KEY_MISMATCH");

  MessageCipher client(auth_key, Role::kClient);
  const bool portable = GENERATE(false, true);  // fused AES-NI/SHA-NI pass (where available) and EVP path
  client.use_portable_decrypt(portable);
  INFO("portable decrypt path: " << portable);
  auto msg = client.decrypt_in_place(packet);
  REQUIRE(msg.ok());
  CHECK(to_hex(msg->plaintext) == expected_plain);
  CHECK(msg->salt == static_cast<std::int64_t>(0xfd288b24026a82fcULL));
  CHECK(msg->session_id == static_cast<std::int64_t>(0x68ad432482c4f260ULL));
  CHECK(msg->msg_id == 0x5e308b91c2c1f001LL);
  CHECK(msg->seq_no == 2);
  CHECK(msg->body.size() == 88);
  CHECK(to_hex(msg->body.first(4)) == "dcf8f173");  // msg_container#73f1f8dc
  // Zero-copy: the views point into the packet buffer.
  CHECK(msg->plaintext.data() == packet.data() + 24);
  CHECK(msg->body.data() == packet.data() + 24 + 32);
}

TEST_CASE("message cipher: round trip client -> server -> client with transport headroom") {
  const AuthKey auth_key = random_auth_key(1);
  MessageCipher client(auth_key, Role::kClient, seeded_fill(2));
  MessageCipher server(auth_key, Role::kServer, seeded_fill(3));
  const bool portable = GENERATE(false, true);
  client.use_portable_decrypt(portable);
  server.use_portable_decrypt(portable);
  INFO("portable decrypt path: " << portable);
  std::mt19937_64 rng(4);
  for (std::size_t body_size : {0u, 4u, 8u, 12u, 16u, 100u, 1000u, 4096u, 65536u, 1048576u}) {
    INFO("body " << body_size);
    Bytes body(body_size);
    for (auto& b : body) b = static_cast<std::uint8_t>(rng());
    const Bytes request = make_plaintext(0x1122334455667788, -42, 0x5e308b91c2c1f000, 1, body);

    // 8 bytes of headroom for the transport header, written by the session straight into place.
    constexpr std::size_t kHeadroom = 8;
    Bytes wire(kHeadroom + crypto::encrypted_message_size(request.size()), 0xAB);
    std::memcpy(wire.data() + kHeadroom + 24, request.data(), request.size());
    auto sealed = client.encrypt_in_place(MutableByteSpan(wire).subspan(kHeadroom), request.size());
    REQUIRE(sealed.ok());
    CHECK(sealed->data() == wire.data() + kHeadroom);
    CHECK(std::all_of(wire.begin(), wire.begin() + kHeadroom, [](std::uint8_t b) { return b == 0xAB; }));

    Bytes received(sealed->begin(), sealed->end());
    auto got = server.decrypt_in_place(received);
    REQUIRE(got.ok());
    CHECK(got->salt == 0x1122334455667788);
    CHECK(got->session_id == -42);
    CHECK(got->msg_id == 0x5e308b91c2c1f000);
    CHECK(got->seq_no == 1);
    REQUIRE(got->body.size() == body.size());
    CHECK(std::equal(body.begin(), body.end(), got->body.begin()));

    // The server answers with the same body; the client reads it back.
    const Bytes reply = make_plaintext(0x1122334455667788, -42, 0x5e308b91c2c1f001, 2, body);
    Bytes reply_wire(crypto::encrypted_message_size(reply.size()));
    auto reply_sealed = server.encrypt(reply, reply_wire);
    REQUIRE(reply_sealed.ok());
    auto back = client.decrypt_in_place(*reply_sealed);
    REQUIRE(back.ok());
    CHECK(back->msg_id == 0x5e308b91c2c1f001);
    CHECK(std::equal(body.begin(), body.end(), back->body.begin(), back->body.end()));
  }
}

TEST_CASE("message cipher: the default random source pads with fresh random bytes") {
  const AuthKey auth_key = random_auth_key(5);
  MessageCipher client(auth_key, Role::kClient);
  MessageCipher server(auth_key, Role::kServer);
  const Bytes plain = make_plaintext(1, 2, 4, 1, Bytes(20, 7));
  Bytes a(crypto::encrypted_message_size(plain.size())), b(a.size());
  REQUIRE(client.encrypt(plain, a).ok());
  REQUIRE(client.encrypt(plain, b).ok());
  CHECK(a != b);  // a different padding gives a different msg_key and ciphertext
  CHECK(server.decrypt_in_place(a).ok());
  CHECK(server.decrypt_in_place(b).ok());
}

TEST_CASE("message cipher: too little room to encrypt is an error value") {
  MessageCipher client(random_auth_key(6), Role::kClient, zero_fill);
  Bytes plain(40), out(crypto::encrypted_message_size(40) - 1);
  auto r = client.encrypt(plain, out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == kErrInvalidArgument);
}

TEST_CASE("message cipher: every rejection case") {
  const AuthKey auth_key = random_auth_key(7);
  MessageCipher server(auth_key, Role::kServer);
  const bool portable = GENERATE(false, true);
  server.use_portable_decrypt(portable);
  INFO("portable decrypt path: " << portable);
  const auto c2s = crypto::Direction::kClientToServer;
  const Bytes body(40, 0x33);

  // Baseline: a well-formed packet built by seal_raw is accepted (so the cases below fail for
  // their own reason only).
  Bytes good = make_plaintext(1, 2, 4, 1, body);
  good.resize(good.size() + crypto::message_padding(good.size()), 0);
  CHECK(rejection(server, seal_raw(auth_key, c2s, good)) == "accepted");

  SECTION("wrong auth_key_id") {
    Bytes p = seal_raw(auth_key, c2s, good);
    p[3] ^= 1;
    CHECK(rejection(server, p) == "AUTH_KEY_ID_MISMATCH");
    CHECK(rejection(server, seal_raw(random_auth_key(8), c2s, good)) == "AUTH_KEY_ID_MISMATCH");
  }
  SECTION("encrypted part not a multiple of 16, or too short") {
    Bytes p = seal_raw(auth_key, c2s, good);
    p.resize(p.size() + 4);
    CHECK(rejection(server, p) == "BAD_PACKET_SIZE");
    CHECK(rejection(server, Bytes(24 + 32)) == "BAD_PACKET_SIZE");
    CHECK(rejection(server, Bytes(8)) == "BAD_PACKET_SIZE");
  }
  SECTION("a flipped bit anywhere in msg_key or ciphertext") {
    const Bytes p = seal_raw(auth_key, c2s, good);
    for (std::size_t i = 8; i < p.size(); i += 5) {
      Bytes bad = p;
      bad[i] ^= 0x10;
      INFO("byte " << i);
      CHECK(rejection(server, bad) == "MSG_KEY_MISMATCH");
    }
  }
  SECTION("sealed for the other direction") {
    CHECK(rejection(server, seal_raw(auth_key, crypto::Direction::kServerToClient, good)) == "MSG_KEY_MISMATCH");
  }
  SECTION("message_data_length larger than the data") {
    Bytes p = good;
    put_le(p, 28, p.size() - 32 + 4, 4);
    CHECK(rejection(server, seal_raw(auth_key, c2s, p)) == "BAD_MESSAGE_LENGTH");
    put_le(p, 28, 0xFFFFFFFC, 4);
    CHECK(rejection(server, seal_raw(auth_key, c2s, p)) == "BAD_MESSAGE_LENGTH");
  }
  SECTION("message_data_length not a multiple of 4") {
    Bytes p = good;
    put_le(p, 28, body.size() - 1, 4);
    CHECK(rejection(server, seal_raw(auth_key, c2s, p)) == "BAD_MESSAGE_LENGTH");
  }
  SECTION("padding below 12 bytes") {
    // 32 + 40 body + 8 padding = 80: whole blocks, but the padding is too short.
    Bytes p = make_plaintext(1, 2, 4, 1, body);
    p.resize(80, 0);
    CHECK(rejection(server, seal_raw(auth_key, c2s, p)) == "BAD_PADDING");
  }
  SECTION("padding above 1024 bytes, and both limits exactly") {
    Bytes p = make_plaintext(1, 2, 4, 1, Bytes(20, 1));  // 52 bytes
    p.resize(52 + 1036, 0);  // 1088 = 68 blocks, padding 1036
    CHECK(rejection(server, seal_raw(auth_key, c2s, p)) == "BAD_PADDING");
    Bytes just_over = make_plaintext(1, 2, 4, 1, Bytes(28, 1));  // 60 bytes
    just_over.resize(60 + 1028, 0);                             // padding 1028, whole blocks
    CHECK(rejection(server, seal_raw(auth_key, c2s, just_over)) == "BAD_PADDING");
    // 32 + body + 1024 is whole blocks when body % 16 == 0: the largest padding allowed.
    Bytes max_pad = make_plaintext(1, 2, 4, 1, Bytes(32, 1));
    max_pad.resize(64 + 1024, 0);
    CHECK(rejection(server, seal_raw(auth_key, c2s, max_pad)) == "accepted");
    Bytes min_pad = make_plaintext(1, 2, 4, 1, Bytes(36, 1));  // 68 + 12 = 80
    min_pad.resize(80, 0);
    CHECK(rejection(server, seal_raw(auth_key, c2s, min_pad)) == "accepted");
  }
}

TEST_CASE("message cipher: padded-intermediate tail is stripped to whole blocks") {
  Bytes packet(24 + 64 + 13);
  CHECK(crypto::strip_transport_padding(packet).size() == 24 + 64);
  Bytes exact(24 + 48);
  CHECK(crypto::strip_transport_padding(exact).size() == exact.size());
}
