#include <catch2/catch.hpp>

#include "crypto/dh.hpp"
#include "crypto_test_support.hpp"

using namespace mtp;
using namespace mtp::crypto;

namespace {

// Telegram's sample handshake, VECTORS.md §1 (core.telegram.org/mtproto/samples-auth_key).
const char* kGa =
    "0A77200BDFF6E6C4C126A2C41DF310AB3A3BDBD698CD480749E1F3C64FB1CFC9DFC70AC6F1AA671019620A640055B2CF"
    "7D7D99CC86533645C0FA000954DE2987BAD68D7450CF134C9F0305F34C1BB285DA8233F65970A01C4BD3AFD5EA3CD586"
    "4B8F1DCB35D5E9737DF15063C54CF53048EF519A280498DDDAF23764F29FFB0C5813CAAD90C319BE8592B78C4BE815E6"
    "5ADA7C62EA23754B5A2C5A86C4721872D0CC48E0F895C3EBE186E81E5F0E88A6B3F09101C409AF3410B64238FBF2A209"
    "5E3F3B7FFC7EB3A02A319B99A155647BC59958BCDFED8A1CC6EB7F13F8600E521D9D0247B0F639F2FA3B09F72987781F"
    "71C0E8AA950167DE5092380B4853E7F1";
const char* kB =
    "1376A5A6BF7A9F874B47028F3D5CFF0689FD52F58949BB0EE9BACDBE81DD1CED07101844EB6F2AE19E61120B84799431"
    "F445785E33A18141399821479AE96786E0F4E9C5C6C9E46BF562C21C96B0F8F7438C8CABA3DFCB3DD3B886C2A37B95ED"
    "804315335C0DDFFEB3A278243D89F964278BC734D1087D6D4B554C1F78397A414F440E38BA9A4F1211B20AE835437762"
    "F81A45FDB035BB2220D939693084B39A3C7BE2481309AB9AE378EAB8BB3A15A69EBA80BEF683582E2218FA604E823EAB"
    "D111553D31DBB46B9383A0D8EEF615FFF9CF266C970800AA28AC5E962D20351311A815FFA7562989CA6D6323BF2B5AF4"
    "0EF3F45021B7445664852D07B80172CE";
const char* kGb =
    "A215D057BC6648453D68C2F418A38D9D4F4FA47E5D520AC7EBC2ADC3B00075090C10A1E9D96A5DDA127317F2DDC165C5"
    "F6C8C2854648C106D0D9DF684DAE70B0E6021658806245B494B762B1979E8BD597B5CC8E43A80F96CA47FB0765C98D40"
    "529F3D94C82113AE32C603AA24411EF8B330565A1D66EA6B89C9D4F8AFFEEA397C4B247564215D147B6AD0DF7F3FB449"
    "9E89E34304531D87448B91967B5BD53093F09386C0F78940C1DD6AA7C8667E15857453E6AAD275F94CD386468CF49108"
    "FB7C54282596A4D0314DCE9EFED4066A6E072471439AEAAA74157DB7DD53F01982982534DEE8740610BA433BF459B3DF"
    "E38674561F31991CE007BA112DDA6718";

// RFC 3526 group 14 (2048-bit MODP): a safe prime that is not Telegram's, with p mod 8 = 7.
const char* kRfc3526Prime =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AACAA68FFFFFFFFFFFFFFFF";

// A 2048-bit prime (`openssl prime -generate -bits 2048`) with p mod 3 = 2 and p mod 4 = 3 whose
// (p-1)/2 is composite (checked with `openssl prime`): passes everything except the safe-prime test.
const char* kNonSafePrime =
    "C7A244C4B0D8EF2EBBEA476592937DA5BAE86D06055AEEA832ECDF2881C3B16F58D985A51267B043A04B912EADF12889"
    "411201528E969E8F1501BA3A4259BBB9F5B549DC3AA69578CB8C88595F0DE41D28C7623AC3CCB90E866AA494F47C37E9"
    "DF03B1458E4FDFF8E1ECE95D7096C90EA94A3C83AF8F789C4932774BB6B28D964F78F2DDAA7755955135A56B0A922F02"
    "D576BED6C50EEAB36B47782CB6A4B7D084D9B562D5DE747F3E4949AF6F3AEA1C8CACEACB9E247092374FC816BFC69DEA"
    "26CB58B7269A65B4BF9C09D9E0213984DE03DD504097951F477BFBC5DE6700227CA33C776AB3B9BCBB0ACB3FD41F35ED"
    "08932DC9FE03D32F7A7C39CB5E5DBD67";

void require_security_error(const Status& s) {
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == kErrSecurity);
}

template <class T>
void require_security_error(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == kErrSecurity);
}

}  // namespace

TEST_CASE("the sample handshake's g_b and auth key are reproduced") {
  auto group = DhGroup::validate(telegram_dh_prime(), 3);
  REQUIRE(group.ok());
  CHECK(group->power(from_hex(kB)) == from_hex(kGb));
  REQUIRE(group->check_public(from_hex(kGa)).ok());
  auto key = group->shared_key(from_hex(kGa), from_hex(kB));
  REQUIRE(key.ok());
  CHECK(to_hex(*key) == to_hex(from_hex(crypto_test::kVectorAuthKey)));
}

TEST_CASE("both sides of a generated exchange agree on a 256-byte key") {
  DhGroup group = DhGroup::standard();
  RandomSource random = seeded_random(3);
  for (int i = 0; i < 4; ++i) {
    DhGroup::KeyPair server = group.generate(random), client = group.generate(random);
    REQUIRE(server.public_value.size() == 256);
    REQUIRE(group.check_public(server.public_value).ok());
    auto k1 = group.shared_key(server.public_value, client.secret);
    auto k2 = group.shared_key(client.public_value, server.secret);
    REQUIRE(k1.ok());
    REQUIRE(k2.ok());
    CHECK(k1->size() == 256);
    CHECK(*k1 == *k2);
  }
}

TEST_CASE("the shared key is left-padded to 256 bytes") {
  // g_a = 2^(2048-64) is in range; with secret 1 the key is g_a itself, far shorter than 256 bytes.
  DhGroup group = DhGroup::standard();
  Bytes g_a = BigNum::power_of_two(2048 - 64).to_be();
  REQUIRE(g_a.size() == 249);
  auto key = group.shared_key(g_a, from_hex("01"));
  REQUIRE(key.ok());
  REQUIRE(key->size() == 256);
  CHECK(to_hex(*key).substr(0, 16) == "0000000000000001");
}

TEST_CASE("an unknown safe prime passes the full check") {
  auto group = DhGroup::validate(from_hex(kRfc3526Prime), 2);
  REQUIRE(group.ok());
  CHECK(group->g() == 2);
}

TEST_CASE("bad DH primes are rejected") {
  SECTION("prime whose (p-1)/2 is composite") { require_security_error(DhGroup::validate(from_hex(kNonSafePrime), 3)); }
  SECTION("composite p with a matching residue for g") {
    Bytes composite = (BigNum::from_be(telegram_dh_prime()) + BigNum(6)).to_be();
    require_security_error(DhGroup::validate(composite, 3));
  }
  SECTION("a 2047-bit number (RFC 3526 prime shifted right)") {
    Bytes small = (BigNum::from_be(from_hex(kRfc3526Prime)) >> 1).to_be();
    require_security_error(DhGroup::validate(small, 2));
  }
  SECTION("longer than 2048 bits") {
    Bytes big = from_hex(kRfc3526Prime);
    big.insert(big.begin(), 0x01);
    require_security_error(DhGroup::validate(big, 2));
  }
}

TEST_CASE("g must be 2..7 and generate the right subgroup of the prime") {
  // Telegram's prime: p mod 8 = 3, mod 3 = 2, mod 5 = 3, mod 24 = 11, mod 7 = 6.
  ByteSpan p = telegram_dh_prime();
  for (int g : {3, 4, 7}) {
    INFO("g = " << g);
    CHECK(DhGroup::validate(p, g).ok());
  }
  for (int g : {-1, 0, 1, 2, 5, 6, 8, 65539}) {
    INFO("g = " << g);
    require_security_error(DhGroup::validate(p, g));
  }
  // Small-prime residue tables from LonamiWebs/Telethon client/tests/two_factor_auth_test.py
  // @ 41b848db389d4b6f4b74e85705bec873bc31f44d (test_correct_pg / test_incorrect_pg).
  for (auto [prime, g] : std::initializer_list<std::pair<int, int>>{
           {23, 2}, {47, 3}, {11, 4}, {11, 5}, {179, 5}, {383, 6}, {479, 7}, {383, 7}, {503, 7}}) {
    INFO(prime << ", " << g);
    CHECK(dh_generator_ok(BigNum(static_cast<std::uint64_t>(prime)), g));
  }
  for (auto [prime, g] : std::initializer_list<std::pair<int, int>>{{11, 2}, {13, 3}, {13, 5}, {13, 6}}) {
    INFO(prime << ", " << g);
    CHECK_FALSE(dh_generator_ok(BigNum(static_cast<std::uint64_t>(prime)), g));
  }
}

TEST_CASE("g_a and g_b outside the safe range are rejected") {
  DhGroup group = DhGroup::standard();
  const BigNum p = group.prime();
  const BigNum margin = BigNum::power_of_two(2048 - 64);
  const BigNum one(1);
  auto rejected = [&](const BigNum& v) { require_security_error(group.check_public(v.to_be_padded(256))); };
  auto accepted = [&](const BigNum& v) { CHECK(group.check_public(v.to_be_padded(256)).ok()); };

  rejected(BigNum(0));
  rejected(one);
  rejected(BigNum(2));
  rejected(p - one);
  rejected(p);
  rejected(margin - one);  // just below 2^(2048-64)
  rejected(p - margin + one);  // just above p - 2^(2048-64)
  accepted(margin);
  accepted(p - margin);
  // Too long to be a 2048-bit value at all.
  require_security_error(group.check_public(Bytes(257, 0x01)));
  // The shared-key step checks the peer's value before using it.
  require_security_error(group.shared_key(one.to_be_padded(256), from_hex(kB)));
  require_security_error(group.shared_key((p - one).to_be_padded(256), from_hex(kB)));
}
