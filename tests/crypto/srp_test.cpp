#include <catch2/catch.hpp>

#include "crypto/srp.hpp"

using namespace mtp;
using namespace mtp::crypto;

namespace {

SrpParams standard_params(const char* salt1_hex, const char* salt2_hex) {
  SrpParams params;
  params.salt1 = from_hex(salt1_hex);
  params.salt2 = from_hex(salt2_hex);
  params.g = 3;
  params.p.assign(telegram_dh_prime().begin(), telegram_dh_prime().end());
  return params;
}

Bytes padded_int(std::uint64_t v) { return BigNum(v).to_be_padded(256); }

}  // namespace

TEST_CASE("SRP client proof matches gotd's vector (a = 1)") {
  // VECTORS.md §5: gotd/td crypto/srp/srp_test.go @ d0d567ee95e61e991eb4075eeb75b16ddc973801.
  SrpParams params = standard_params("4D11FB6BEC38F9D2546BB0F61E4F1C99A1BC0DB8F0D5F35B1291B37B213123D7ED48F3C6794D495B",
                                     "A1B181AAFE88188680AE32860D60BB01");
  Bytes srp_b = from_hex(
      "9C52401A6A8084EC82F01C3725D3FB448BD2F0C909F9D97726EAC4B7A74172D952F02466BE6734FA274D2B7429E27397"
      "F10372D66B400B80A5C5AE3F28B17BF3105D7A2D2A885998CDC2DEFC208AEC217AB58859A9ABC2374AD93DC285F4B3FB"
      "CAFF4143D7888F2425BD2FB711B25609CEB21757D935B1EF2F042173AD0CE2FE0E474DAC53914BD25A8A9AED4AEA8953"
      "D55CB88621DB37B871EA0D04393AC0987F68094CCC9DE8239251375D8FFFD263316CD528C097B7BC9FB919FBEDB76C52"
      "5DF3413C374EE076D97A1E6D352BB7CC80FD13651B04B32E2E48C5268150842CFD07CF855958B1B5EA9C36FDAD697FE3"
      "AEC8DCC6B1EFEC36874AF226204676CF");
  CHECK(to_hex(srp_password_hash("123123", params.salt1, params.salt2)) ==
        "55a33fcadca739ca2819d8209cd098413d8e072a24ebc69c60f60ff20f8ac1ba");
  auto answer = srp_client_answer(params, "123123", srp_b, padded_int(1));
  REQUIRE(answer.ok());
  CHECK(answer->a_public == padded_int(3));
  CHECK(to_hex(answer->m1) == "999df906bda2c6cbb52f503406eba2d0d0503ace0cc302c38f13ee5010ad4051");
}

TEST_CASE("SRP client proof matches Telethon's vector (random a, real B)") {
  // LonamiWebs/Telethon client/tests/two_factor_auth_test.py test_calculations_2
  // @ 41b848db389d4b6f4b74e85705bec873bc31f44d; re-checked with an independent Python implementation.
  SrpParams params = standard_params(
      "5F483C38BD0986E7CDC95AE138EF4F49B951C1F81C713FECDEF3AF692CEC4B4716AC9B770A195EBE", "B616FC6BBEDF511119C5ED34629527F1");
  Bytes srp_b = from_hex(
      "93F70EBD50F6426ACA2568769599F91F24D01284CC51A449E62DCC1527DFE50126B2AA44238E4FB2331419ED4AEBF1A0"
      "AE15E03ABD18BFC52CA6BAEC564C13B5A1D2E357799897757BB736FDC2CEB1B56AACF19AB3548D6D922A522F0B51F401"
      "24C3BC9936AFF3E1DCFBEA39AC9AD2ADDC6AF0AD30783278BBB84CAB0ED8464B0FFEB2B0C93A39A5D97DBA0105672CA5"
      "475373D8D23E54A6AC9BED9519E8BEF4F00719F5AD56151BE5537648DF2F8E3E7265CB57FB94A054CE2A82B8CC664AD0"
      "60E0D6C6DF1879345440EB977FA0F2D36F31A253D8917732F133D40033A34B6152969B600D59CDABFEA2AB2393AD659E"
      "56D66E13605B1F61E48E3CD65C0F58AC");
  Bytes a = from_hex(
      "BF31574F34FCE1E53891C59B7F62468A0CA682DA8585DF8DE0A18873359755FBB1818878A9EE919BB1E94D20C5F0607E"
      "02A33176199BF3220256C9EA1A69F395A515D20539D88CDA750A5252FB864F573F2B032F3B467D08B34FD9C89D1C5D06"
      "278E113E51D4E893C1C027455AF4653F096607A4156D94FB8E1DC7CEE5BFE32850982F941AE4414E83BF22DF56270B43"
      "B7CCC44C26D40886464DA8E344A8540795B8F69B8F508552A723CD6931E1D69204E8E9DC056F0A2A10A0D7951E355F3E"
      "DEF5A5E18A9091295A51EB9DB10B8B0D30489C8D29BC0CD86E97781F5E30C5B6BFE7CAF4AAE81B282E653AC48AA1A8FD"
      "E789722BC04F4320CD9F86849FE05CA4");
  auto answer = srp_client_answer(params, "234567", srp_b, a);
  REQUIRE(answer.ok());
  CHECK(to_hex(answer->m1) == "4d7af412c5a2e7b15467376bd118b853604e687b31f51c4980c4d7c1876613e3");
  CHECK(to_hex(answer->a_public) ==
        to_hex(from_hex("0FA12BC655B1187A28296A69AE565D682782E0CEB05A089C0C41C1DCE983DC7F4A53434EA78E065D9E1CB60E427B4468"
                        "A4780609FEBA2F55654EE2EFE0AEB72EDAFDE2652E26ED5B4D4BAAD9D2A381806AF63416BF6263DF45A43D85BE5401BC"
                        "223EBFAC09421CADDD7E260BD6B86542133C048D6CD54B38D8E2CCDF6B550E875B1353A4ACFE3292FFB56A0F58B2A390"
                        "27C9BFDD91FD4C531D23C77D6E8F7D583EAEEA316DEDDED69935296CE7EA34E9BE6EF2FBD829EAC4C9BD646DC1563E47"
                        "F77B91431CA002CF79FC149D968272835C15CA1C6B2C5E03712A2E1B5D52F5E4FAA1C16CB177FAFD96A6AA5B4B3F4C64"
                        "9915644B63855CFB38561FF17FEDFB8A")));
}

TEST_CASE("SRP client and server agree on the right password and not on a wrong one") {
  SrpParams params = standard_params("0102030405060708", "A1A2A3A4A5A6A7A8A9AAABACADAEAFB0");
  auto verifier = srp_verifier(params, "correct horse");
  REQUIRE(verifier.ok());
  REQUIRE(verifier->size() == 256);
  RandomSource random = seeded_random(2024);

  auto server = SrpServerSession::start(params, *verifier, random);
  REQUIRE(server.ok());
  auto good = srp_client_answer(params, "correct horse", server->b_public(), random);
  REQUIRE(good.ok());
  CHECK(server->verify(good->a_public, good->m1).ok());

  auto wrong = srp_client_answer(params, "correct horsf", server->b_public(), random);
  REQUIRE(wrong.ok());
  auto refused = server->verify(wrong->a_public, wrong->m1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == kErrSecurity);

  // A tampered proof or a swapped A fails too; A = 0, 1 or p are refused outright (A = 0 would force S = 0).
  Sha256Digest m1 = good->m1;
  m1[0] ^= 1;
  CHECK_FALSE(server->verify(good->a_public, m1).ok());
  CHECK_FALSE(server->verify(wrong->a_public, good->m1).ok());
  CHECK_FALSE(server->verify(padded_int(0), good->m1).ok());
  CHECK_FALSE(server->verify(padded_int(1), good->m1).ok());
  CHECK_FALSE(server->verify(params.p, good->m1).ok());

  // A second session with a fresh b gives a different B, and the check still works.
  auto server2 = SrpServerSession::start(params, *verifier, random);
  REQUIRE(server2.ok());
  CHECK(server2->b_public() != server->b_public());
  auto again = srp_client_answer(params, "correct horse", server2->b_public(), random);
  REQUIRE(again.ok());
  CHECK(server2->verify(again->a_public, again->m1).ok());
  CHECK_FALSE(server2->verify(good->a_public, good->m1).ok());
}

TEST_CASE("SRP client refuses a bad group or B") {
  SrpParams params = standard_params("01", "02");
  Bytes a = padded_int(12345);
  CHECK_FALSE(srp_client_answer(params, "pw", padded_int(0), a).ok());
  CHECK_FALSE(srp_client_answer(params, "pw", padded_int(1), a).ok());
  CHECK_FALSE(srp_client_answer(params, "pw", params.p, a).ok());
  CHECK(srp_client_answer(params, "pw", padded_int(2), a).ok());

  SrpParams wrong_g = params;
  wrong_g.g = 2;  // Telegram's prime is 3 mod 8: 2 does not generate the prime-order subgroup
  auto r = srp_client_answer(wrong_g, "pw", padded_int(5), a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == kErrSecurity);

  SrpParams composite = params;
  composite.p = (BigNum::from_be(params.p) + BigNum(6)).to_be();
  CHECK_FALSE(srp_client_answer(composite, "pw", padded_int(5), a).ok());
}
