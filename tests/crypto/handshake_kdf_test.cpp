#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

#include "crypto/handshake_kdf.hpp"
#include "crypto_test_support.hpp"

using namespace mtp;
using namespace mtp::crypto;

namespace {

template <class Array>
Array array_from_hex(const char* hex) {
  Bytes b = from_hex(hex);
  // Runs during static initialisation, before Catch can record a REQUIRE.
  if (b.size() != Array().size()) throw std::invalid_argument("test vector has the wrong length");
  Array a{};
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

// Telegram's sample handshake (VECTORS.md §1).
const Int256 kNewNonce = array_from_hex<Int256>("A8BBC849512DAC6C67B6EFD9157D6CA7377A1776307D84265C6BE9BDCF802AC1");
const Int128 kServerNonce = array_from_hex<Int128>("E11DBC3BC97D91A26154F932AF019943");

// 8 wire bytes of a little-endian int64.
std::string le_hex(std::uint64_t v) {
  Bytes b(8);
  for (int i = 0; i < 8; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  return to_hex(b);
}

RandomSource fixed_bytes(Bytes bytes) {
  return [bytes](MutableByteSpan out) {
    REQUIRE(out.size() == bytes.size());
    std::copy(bytes.begin(), bytes.end(), out.begin());
  };
}

}  // namespace

TEST_CASE("tmp AES key and iv from the sample handshake's nonces") {
  TmpAesKey k = tmp_aes_key(kNewNonce, kServerNonce);
  CHECK(to_hex(k.key) == to_hex(from_hex("5EA702F743E850F5546E857F08B7D5337BBAEDF9B61248751594851BE2E8C297")));
  CHECK(to_hex(k.iv) == to_hex(from_hex("1CEF8E372A63D97EBFA805C0DBB018BC7C1E0931693FBCB1A1AFC0C0A8BBC849")));
}

TEST_CASE("tmp AES key and iv from counting nonces (grammers vector)") {
  // VECTORS.md §3 "tmp key from nonces" (Lonami/grammers @ fa7692e4): server_nonce = 00..0F, new_nonce = 00..1F.
  Int256 new_nonce;
  Int128 server_nonce;
  for (std::size_t i = 0; i < 32; ++i) new_nonce[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < 16; ++i) server_nonce[i] = static_cast<std::uint8_t>(i);
  TmpAesKey k = tmp_aes_key(new_nonce, server_nonce);
  CHECK(to_hex(k.key) == to_hex(from_hex("0758F1533B615D24F6E8A94A6FCBEE0A55EAAB2217D7295CA9213D1A2D7D16A6")));
  CHECK(to_hex(k.iv) == to_hex(from_hex("5A84108E9805656CE864070E166E6218F6783E8511471A5AB7802CF200010203")));
}

TEST_CASE("auth key id, aux hash, new_nonce hashes and the first salt of the sample") {
  Bytes auth_key = from_hex(crypto_test::kVectorAuthKey);
  CHECK(le_hex(auth_key_id(auth_key)) == "65588b3350ef784e");
  std::uint64_t aux = auth_key_aux_hash(auth_key);
  CHECK(le_hex(aux) == "20b5c361a4f5a3d0");
  // dh_gen_ok of the sample carries hash1; hash2/3 (retry/fail) derived in VECTORS.md.
  CHECK(to_hex(new_nonce_hash(kNewNonce, 1, aux)) == "1142871352165e59e1124036b48b97d3");
  CHECK(to_hex(new_nonce_hash(kNewNonce, 2, aux)) == "20d87dd307142b798b67a8dea2c22140");
  CHECK(to_hex(new_nonce_hash(kNewNonce, 3, aux)) == "141c6db2686ef8df4e08e685ccd31510");
  CHECK(le_hex(initial_server_salt(kNewNonce, kServerNonce)) == "49a6747298503dce");
}

TEST_CASE("server_DH_inner_data of the sample decrypts and its SHA1 checks") {
  TmpAesKey k = tmp_aes_key(kNewNonce, kServerNonce);
  Bytes encrypted_answer = from_hex(
      "6AD7DD5D8B2526C761ABE50E93C82A6F331B1EAE0AD011893DA976E3771D4AA45209D234FEA65642985386B817BF8980"
      "F517F6D32DBEB47E34534556F950DDF960DB721A48480231619161112682C6046D5629C71CD1EC8061DFCDD704703EC7"
      "A8AEBDCBD159579FC8886D9FA51E009AF49B5AB90C7628EB81C9788A2EB6AC0E757A7DEBE3D949F80A990BEDB4D2DBAE"
      "43F00328B82F4D8FC83A9B9CFEEF467E1593BB4579EE32412F167A780CFA517650BD0EB51CBFB50E3AFE978839466131"
      "FCD956711E63614F006A55ED35ED2B1F833C29F4FD7A84F0C8F1C10DFC1A1AAF9A8A57108DECF206E3968406F0FB25E9"
      "22DF154F497B51527E4834202FAB477A137D0A99D1C347196FBA10699F52EA56F01EF93829B310A5C97DB95FD57E6441"
      "7E526EB920D261157C6E38791BDD5389EEB744E075D952DB33A8151207D0AB3C629E30A723A5205F8FA18398937ED271"
      "4A4E76A5F4512508A4BE1B4D6AE46FD156C6F06347AF5E07CE49279195133B07CCE4BC6775D88F3611180D23C4C70946"
      "619AD759AB9F183A385CCF9BF19315FADBE8A4FDC748AF52DF930345909C870DE4B48901E9F90E56D74CA534D8E1FE3A"
      "35A92A18D676958EB8FC3D82F9CEE308DF2A9E4CCD23FF89EA255B9EEDBC3378148879666FFC2E19A431CBB57AE1A010"
      "FFE5CB39ABF131ADD9E90BF969A112C435509B78960E0B20031C822190841561E8390446227660BBACCF3D53574BFBA3"
      "3BF476E3BDC9EB680AA2A17FD6756F652725ED0313E5EB0FD6A9C8C949EEFBE809A89311BF20F40055CA25FD169DC13E"
      "E14B315092FDE4184638D849682FD862");
  auto payload = decrypt_with_hash(k, encrypted_answer);
  REQUIRE(payload.ok());
  CHECK(to_hex(payload->hash) == "60026275cc91ddec5371c67b10331c4c1d362585");
  // server_DH_inner_data is 564 bytes (constructor ba0d89b5 first), then 8 bytes of padding.
  REQUIRE(payload->body.size() == 572);
  CHECK(to_hex(ByteSpan(payload->body).first(4)) == "ba0d89b5");
  CHECK(to_hex(ByteSpan(payload->body).subspan(564)) == "c26f8049523e89d2");
  CHECK(payload->matches(564, kAnswerMaxPadding));
  CHECK_FALSE(payload->matches(560, kAnswerMaxPadding));
  CHECK(find_hashed_length(*payload) == std::optional<std::size_t>(564));

  Bytes tampered = encrypted_answer;
  tampered[100] ^= 1;
  auto bad = decrypt_with_hash(k, tampered);
  REQUIRE(bad.ok());
  CHECK_FALSE(bad->matches(564, kAnswerMaxPadding));
  CHECK_FALSE(find_hashed_length(*bad).has_value());
  CHECK_FALSE(decrypt_with_hash(k, ByteSpan(encrypted_answer).first(591)).ok());
}

TEST_CASE("client_DH_inner_data of the sample encrypts to the published bytes") {
  TmpAesKey k = tmp_aes_key(kNewNonce, kServerNonce);
  Bytes inner = from_hex(
      "54B64366406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A26154F932AF0199430000000000000000FE000100"
      "A215D057BC6648453D68C2F418A38D9D4F4FA47E5D520AC7EBC2ADC3B00075090C10A1E9D96A5DDA127317F2DDC165C5"
      "F6C8C2854648C106D0D9DF684DAE70B0E6021658806245B494B762B1979E8BD597B5CC8E43A80F96CA47FB0765C98D40"
      "529F3D94C82113AE32C603AA24411EF8B330565A1D66EA6B89C9D4F8AFFEEA397C4B247564215D147B6AD0DF7F3FB449"
      "9E89E34304531D87448B91967B5BD53093F09386C0F78940C1DD6AA7C8667E15857453E6AAD275F94CD386468CF49108"
      "FB7C54282596A4D0314DCE9EFED4066A6E072471439AEAAA74157DB7DD53F01982982534DEE8740610BA433BF459B3DF"
      "E38674561F31991CE007BA112DDA6718");
  Bytes expected = from_hex(
      "14D185E575255986C29BE3A0437D525BA22430CBA0CD755225945AD3A1ACEFB536518514F5086892E6E3FA84D1CBB644"
      "BC8F7BEBCDE74E31BA8A073F47623EBB6E7D94B3A676A4C1AFD4689C52D05F73D21C33F64FE6AEABD04273D9117CD064"
      "E467E1F8E6C887BCAE4679E0399AD35DB1302A80629618F8C8485248D89A4E3568B464FF7B608CBE24B51EEB81B65D76"
      "224B62A1669EAA48A99C122E5E8A778E13DD441DC52175160088A498F186A2B99C736FE8C5C3E274D804C629564A0F15"
      "DDABC5B449356A7990900652A7432AFB1499C7CE09246F6B29006425DF2926465B04F17C0077B6A336A50E46B675AD56"
      "07F05818F84EADEC1F4847BF311027E742F8B1E183C01810C4CE964F2A0F36E257849C144C9B0B93B4A7A9E57391DB0C"
      "CB0D757A2B7A77257C8FF55553D66B6E1D45E9D8CA88E5A47B16322FF2ED5F5ABE099E7006B2D29C829D746B704130B1");
  Bytes encrypted = encrypt_with_hash(k, inner, fixed_bytes(from_hex("74876952857BA6AAA495A20D")));
  CHECK(to_hex(encrypted) == to_hex(expected));

  // And the server side reads it back.
  auto payload = decrypt_with_hash(k, encrypted);
  REQUIRE(payload.ok());
  CHECK(payload->matches(inner.size(), kAnswerMaxPadding));
}

TEST_CASE("answer_with_hash round trips for every padding length") {
  TmpAesKey k = tmp_aes_key(kNewNonce, kServerNonce);
  RandomSource random = seeded_random(1);
  for (std::size_t len = 0; len <= 40; ++len) {
    Bytes data(len);
    random(data);
    Bytes enc = encrypt_with_hash(k, data, random);
    REQUIRE(enc.size() % 16 == 0);
    REQUIRE(enc.size() - (20 + len) < 16);
    auto payload = decrypt_with_hash(k, enc);
    REQUIRE(payload.ok());
    CHECK(payload->matches(len, kAnswerMaxPadding));
    auto found = find_hashed_length(*payload);
    REQUIRE(found.has_value());
    CHECK(*found == len);
  }
}
