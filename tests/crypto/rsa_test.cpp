#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "crypto/builtin_keys.hpp"
#include "crypto/rsa.hpp"
#include "crypto/rsa_pad.hpp"

using namespace mtp;
using namespace mtp::crypto;

namespace {

std::string read_test_file(const std::string& relative) {
  std::ifstream in(std::string(TGGET_SOURCE_DIR) + "/tests/data/" + relative);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One generated key for the whole executable: 2048-bit generation takes a noticeable fraction of a second.
const RsaPrivateKey& test_key() {
  static const RsaPrivateKey key = [] {
    auto k = RsaPrivateKey::generate(2048);
    REQUIRE(k.ok());
    return *k;
  }();
  return key;
}

// The p_q_inner_data_dc of Telegram's sample handshake (VECTORS.md §1), 100 bytes.
const Bytes kSampleInnerData = from_hex(
    "955FF5A908256595EDB7766797000000045A300D4B000000046A26DB65000000"
    "406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A26154F932AF019943"
    "A8BBC849512DAC6C67B6EFD9157D6CA7377A1776307D84265C6BE9BDCF802AC1"
    "02000000");

template <class T>
int error_code(const Result<T>& r) {
  return r.ok() ? 0 : r.error().code;
}

}  // namespace

TEST_CASE("Telegram key fingerprints from PEM files, PKCS#1 and SPKI") {
  auto prod = parse_rsa_public_key_pem(read_test_file("rsa/telegram_production.pem"));
  REQUIRE(prod.ok());
  CHECK(prod->fingerprint() == 0xd09d1d85de64fd85ULL);
  CHECK(prod->size() == 256);
  CHECK(to_hex(prod->e) == "010001");

  auto spki = parse_rsa_public_key_pem(read_test_file("rsa/telegram_production_spki.pem"));
  REQUIRE(spki.ok());
  CHECK(spki->n == prod->n);
  CHECK(spki->fingerprint() == 0xd09d1d85de64fd85ULL);

  auto test_dc = parse_rsa_public_key_pem(read_test_file("rsa/telegram_test_dc.pem"));
  REQUIRE(test_dc.ok());
  CHECK(test_dc->fingerprint() == 0xb25898df208d2603ULL);
}

TEST_CASE("built-in keys parse and match their declared fingerprints") {
  for (const BuiltinRsaKey* k : {&telegram_production_key(), &telegram_test_dc_key()}) {
    auto key = parse_rsa_public_key_pem(k->pem);
    REQUIRE(key.ok());
    CHECK(key->fingerprint() == k->fingerprint);
  }
  CHECK(telegram_production_key().fingerprint == 0xd09d1d85de64fd85ULL);
}

TEST_CASE("malformed PEM is an error value") {
  CHECK_FALSE(parse_rsa_public_key_pem("").ok());
  CHECK_FALSE(parse_rsa_public_key_pem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n").ok());
  CHECK_FALSE(RsaPrivateKey::from_pem(read_test_file("rsa/telegram_production.pem")).ok());
}

TEST_CASE("generated private key round-trips through PEM and raw RSA") {
  const RsaPrivateKey& key = test_key();
  CHECK(key.public_key().size() == 256);
  CHECK(to_hex(key.public_key().e) == "010001");

  std::string priv = key.private_pem();
  CHECK(priv.find("BEGIN PRIVATE KEY") != std::string::npos);
  auto loaded = RsaPrivateKey::from_pem(priv);
  REQUIRE(loaded.ok());
  CHECK(loaded->public_key().n == key.public_key().n);

  std::string pub1 = key.public_pem();
  CHECK(pub1.find("BEGIN RSA PUBLIC KEY") != std::string::npos);
  std::string spki = key.public_pem(false);
  CHECK(spki.find("BEGIN PUBLIC KEY") != std::string::npos);
  for (const std::string& pem : {pub1, spki}) {
    auto pub = parse_rsa_public_key_pem(pem);
    REQUIRE(pub.ok());
    CHECK(pub->fingerprint() == key.public_key().fingerprint());
  }

  RandomSource random = seeded_random(7);
  for (int i = 0; i < 5; ++i) {
    Bytes m(256);
    random(m);
    m[0] = 0x01;  // below any 2048-bit modulus
    auto c = rsa_encrypt_raw(key.public_key(), m);
    REQUIRE(c.ok());
    CHECK(*c != m);
    auto back = loaded->decrypt_raw(*c);
    REQUIRE(back.ok());
    CHECK(*back == m);
  }
  // Inputs at or above the modulus are refused on both sides.
  CHECK_FALSE(rsa_encrypt_raw(key.public_key(), key.public_key().n).ok());
  CHECK(error_code(key.decrypt_raw(key.public_key().n)) == kErrSecurity);
  CHECK(error_code(key.decrypt_raw(Bytes(255, 1))) == kErrSecurity);
}

TEST_CASE("RSA_PAD round trip returns the data with its padding") {
  const RsaPrivateKey& key = test_key();
  // Counts the random draws: 192 - len padding bytes, then 32 per temp_key attempt.
  std::size_t draws = 0;
  RandomSource inner = seeded_random(99);
  RandomSource counting = [&](MutableByteSpan out) {
    if (out.size() == 32) ++draws;
    inner(out);
  };
  std::size_t attempts = 0;
  for (int i = 0; i < 40; ++i) {
    Bytes data = i == 0 ? kSampleInnerData : Bytes(static_cast<std::size_t>(i * 3 + 1), static_cast<std::uint8_t>(i));
    auto enc = rsa_pad_encrypt(key.public_key(), data, counting);
    REQUIRE(enc.ok());
    REQUIRE(enc->size() == 256);
    ++attempts;
    auto raw = rsa_decrypt_handshake(key, *enc);
    REQUIRE(raw.ok());
    auto plain = rsa_pad_unwrap(*raw);
    REQUIRE(plain.ok());
    CHECK(std::equal(data.begin(), data.end(), plain->begin()));
    // Not the legacy format: the server's fallback must not accept it as such by accident.
    auto legacy = legacy_rsa_unwrap(*raw);
    if (legacy.ok()) CHECK_FALSE(legacy->matches(data.size(), kLegacyRsaMaxData));
  }
  // With a random 2048-bit modulus, some temp_key_xor lands at or above it: the retry path ran.
  INFO("temp_key draws " << draws << " for " << attempts << " encryptions");
  CHECK(draws > attempts);
}

TEST_CASE("RSA_PAD rejects oversize data and tampered ciphertext") {
  const RsaPrivateKey& key = test_key();
  RandomSource random = seeded_random(5);
  CHECK(error_code(rsa_pad_encrypt(key.public_key(), Bytes(145, 0), random)) == kErrInvalidArgument);
  REQUIRE(rsa_pad_encrypt(key.public_key(), Bytes(144, 0), random).ok());

  auto enc = rsa_pad_encrypt(key.public_key(), kSampleInnerData, random);
  REQUIRE(enc.ok());
  auto raw = rsa_decrypt_handshake(key, *enc);
  REQUIRE(raw.ok());
  for (std::size_t at : {0u, 31u, 32u, 100u, 255u}) {
    Bytes bad = *raw;
    bad[at] ^= 0x01;
    auto r = rsa_pad_unwrap(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(error_code(r) == kErrSecurity);
  }
  // A flipped ciphertext bit decrypts to garbage, which fails the hash.
  Bytes bad_cipher = *enc;
  bad_cipher[200] ^= 0x80;
  auto raw_bad = rsa_decrypt_handshake(key, bad_cipher);
  if (raw_bad.ok()) CHECK_FALSE(rsa_pad_unwrap(*raw_bad).ok());
}

TEST_CASE("legacy RSA matches Telethon's vector and round-trips") {
  // LonamiWebs/Telethon client/tests/rsa_test.py test_rsa_encryption @ 269ee4f05ff793d8aaf492266d73afde64784ff6:
  // encrypt_hashed(b"Hello!", key, zero padding). Re-checked with Python's pow().
  RsaPublicKey key{from_hex(
                       "AEEC36C8FFC109CB099624685B97815415657BD76D8C9C3E398103D7AD16C9BBA6F525ED0412D7AE2C2DE2B44E77D72C"
                       "BF4B7438709A4E646A05C43427C7F184DEBF72947519680E651500890C6832796DD11F772C25FF8F576755AFE055B0A3"
                       "752C696EB7D8DA0D8BE1FAF38C9BDD97CE0A77D3916230C4032167100EDD0F9E7A3A9B602D04367B689536AF0D64B613"
                       "CCBA7962939D3B57682BEB6DAE5B608130B2E52ACA78BA023CF6CE806B1DC49C72CF928A7199D22E3D7AC84E47BC9427"
                       "D0236945D10DBD15177BAB413FBF0EDFDA09F014C7A7DA088DDE9759702CA760AF2B8E4E97CC055C617BD74C3D970086"
                       "35B98DC4D621B4891DA9FB0473047927"),
                   from_hex("010001")};
  RandomSource zeros = [](MutableByteSpan out) { std::fill(out.begin(), out.end(), 0); };
  auto enc = legacy_rsa_encrypt(key, as_bytes("Hello!"), zeros);
  REQUIRE(enc.ok());
  CHECK(to_hex(*enc) ==
        to_hex(from_hex("75702D4C88D29B6AB934355124DD28D9B62A47558841C8031450F7499B1C9C6BD39D27C1581C51344E51C179237064A7"
                        "23AE939D5AC35014FD8B4FE24F75E3115C32A16369EE2B373A61EC9446B92B2E3DF07618DB0A8AFDA999B6702B32B581"
                        "9BD6EA4970FB347CA84A60D0C38AB70C66E5ED0140448889A3B882EEA533BAD05EFA2045EDA717123C414ABFDED43E1E"
                        "B483A049786EF5031B12D51A3FF7ECB7D804D44135945F98F75A4A6CF1A1DF37559E30BBE92A4B7966C34F0738E6D130"
                        "5985776D26DFAB7C0FDFD7EC202CC78C54CF82AC2386C79D0E197580A4FA94300A2382F9E116FE82DF9BD872E5B9DA7B"
                        "426223BF1AD8588930B51E165D6CDD02")));

  const RsaPrivateKey& priv = test_key();
  RandomSource random = seeded_random(11);
  auto sent = legacy_rsa_encrypt(priv.public_key(), kSampleInnerData, random);
  REQUIRE(sent.ok());
  auto raw = rsa_decrypt_handshake(priv, *sent);
  REQUIRE(raw.ok());
  // The server tries RSA_PAD first; a legacy message fails its hash.
  CHECK_FALSE(rsa_pad_unwrap(*raw).ok());
  auto payload = legacy_rsa_unwrap(*raw);
  REQUIRE(payload.ok());
  REQUIRE(payload->body.size() == 235);
  CHECK(std::equal(kSampleInnerData.begin(), kSampleInnerData.end(), payload->body.begin()));
  // The caller parses TL and confirms over exactly the parsed length.
  CHECK(payload->matches(kSampleInnerData.size(), kLegacyRsaMaxData));
  CHECK_FALSE(payload->matches(kSampleInnerData.size() - 4, kLegacyRsaMaxData));
  CHECK_FALSE(payload->matches(kSampleInnerData.size() + 4, kLegacyRsaMaxData));
  CHECK_FALSE(payload->matches(236, kLegacyRsaMaxData));

  Bytes tampered = *raw;
  tampered[50] ^= 0x10;
  auto bad = legacy_rsa_unwrap(tampered);
  REQUIRE(bad.ok());
  CHECK_FALSE(bad->matches(kSampleInnerData.size(), kLegacyRsaMaxData));
  tampered = *raw;
  tampered[0] = 1;  // not a 255-byte message
  CHECK_FALSE(legacy_rsa_unwrap(tampered).ok());
  CHECK(error_code(legacy_rsa_encrypt(priv.public_key(), Bytes(236, 0), random)) == kErrInvalidArgument);
}
