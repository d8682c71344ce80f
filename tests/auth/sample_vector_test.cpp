// The official sample (core.telegram.org/mtproto/samples-auth_key, VECTORS.md §1) replayed through
// the client state machine with its randomness injected: nonce, new_nonce, RSA_PAD padding, b and
// the answer padding come from the sample, so every byte the client sends is the sample's, except
// req_DH_params' RSA_PAD ciphertext (its temp key is not published): that step is checked by
// decrypting what the client produced for a key of our own instead.
#include <catch2/catch.hpp>

#include <cstring>

#include "auth/client_handshake.hpp"
#include "crypto/builtin_keys.hpp"
#include "crypto/rsa_pad.hpp"
#include "../crypto/crypto_test_support.hpp"
#include "handshake_support.hpp"

using namespace mtp;
using namespace mtp::auth;
using namespace mtp::auth::test;
namespace mt = mtp::tl::mt;

namespace {

const char* const kNonce = "406709F612FADFBEC3F0289D0AA67EEF";
const char* const kNewNonce = "A8BBC849512DAC6C67B6EFD9157D6CA7377A1776307D84265C6BE9BDCF802AC1";
const char* const kInnerData =
    "955FF5A908256595EDB7766797000000045A300D4B000000046A26DB65000000406709F612FADFBEC3F0289D0AA67EEF"
    "E11DBC3BC97D91A26154F932AF019943A8BBC849512DAC6C67B6EFD9157D6CA7377A1776307D84265C6BE9BDCF802AC1"
    "02000000";
const char* const kRsaPadding =
    "D944BB8347C876177FE03C2562BF4E87258EF147A7815D8853AA4B1065A5A385D0DA7E0B6100FAF55728D04DFC84E7E0"
    "D20006E07E1CB036730F5B3209CF85B2365B39DE2CBC56F40B725AD347835E5D1973567ECE8A02CF343D54F7";
const char* const kB =
    "1376A5A6BF7A9F874B47028F3D5CFF0689FD52F58949BB0EE9BACDBE81DD1CED07101844EB6F2AE19E61120B84799431"
    "F445785E33A18141399821479AE96786E0F4E9C5C6C9E46BF562C21C96B0F8F7438C8CABA3DFCB3DD3B886C2A37B95ED"
    "804315335C0DDFFEB3A278243D89F964278BC734D1087D6D4B554C1F78397A414F440E38BA9A4F1211B20AE835437762"
    "F81A45FDB035BB2220D939693084B39A3C7BE2481309AB9AE378EAB8BB3A15A69EBA80BEF683582E2218FA604E823EAB"
    "D111553D31DBB46B9383A0D8EEF615FFF9CF266C970800AA28AC5E962D20351311A815FFA7562989CA6D6323BF2B5AF4"
    "0EF3F45021B7445664852D07B80172CE";
const char* const kAnswerPadding = "74876952857BA6AAA495A20D";

// Plain-message payloads (header + body) of the sample; bodies are taken as payload[20:] because the
// page's server-side length fields are wrong.
const char* const kReqPqMulti = "0000000000000000D4720600503DC56514000000F18E7EBE406709F612FADFBEC3F0289D0AA67EEF";
const char* const kResPq =
    "000000000000000001D83175503DC565A800000063241605406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A2"
    "6154F932AF01994308256595EDB776679700000015C4B51C03000000A5B7F709355FC30B216BE86C022BB4C385FD64DE"
    "851D9DD0";
const char* const kReqDhParamsPrefix =  // step 5 payload up to encrypted_data's 256 bytes
    "0000000000000000D8720600503DC56540010000BEE412D7406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A2"
    "6154F932AF019943045A300D4B000000046A26DB6500000085FD64DE851D9DD0FE000100";
const char* const kServerDhParamsOk =
    "0000000000000000014C6E1E513DC565C40200005C07E8D0406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A2"
    "6154F932AF019943FE5002006AD7DD5D8B2526C761ABE50E93C82A6F331B1EAE0AD011893DA976E3771D4AA45209D234"
    "FEA65642985386B817BF8980F517F6D32DBEB47E34534556F950DDF960DB721A48480231619161112682C6046D5629C7"
    "1CD1EC8061DFCDD704703EC7A8AEBDCBD159579FC8886D9FA51E009AF49B5AB90C7628EB81C9788A2EB6AC0E757A7DEB"
    "E3D949F80A990BEDB4D2DBAE43F00328B82F4D8FC83A9B9CFEEF467E1593BB4579EE32412F167A780CFA517650BD0EB5"
    "1CBFB50E3AFE978839466131FCD956711E63614F006A55ED35ED2B1F833C29F4FD7A84F0C8F1C10DFC1A1AAF9A8A5710"
    "8DECF206E3968406F0FB25E922DF154F497B51527E4834202FAB477A137D0A99D1C347196FBA10699F52EA56F01EF938"
    "29B310A5C97DB95FD57E64417E526EB920D261157C6E38791BDD5389EEB744E075D952DB33A8151207D0AB3C629E30A7"
    "23A5205F8FA18398937ED2714A4E76A5F4512508A4BE1B4D6AE46FD156C6F06347AF5E07CE49279195133B07CCE4BC67"
    "75D88F3611180D23C4C70946619AD759AB9F183A385CCF9BF19315FADBE8A4FDC748AF52DF930345909C870DE4B48901"
    "E9F90E56D74CA534D8E1FE3A35A92A18D676958EB8FC3D82F9CEE308DF2A9E4CCD23FF89EA255B9EEDBC337814887966"
    "6FFC2E19A431CBB57AE1A010FFE5CB39ABF131ADD9E90BF969A112C435509B78960E0B20031C822190841561E8390446"
    "227660BBACCF3D53574BFBA33BF476E3BDC9EB680AA2A17FD6756F652725ED0313E5EB0FD6A9C8C949EEFBE809A89311"
    "BF20F40055CA25FD169DC13EE14B315092FDE4184638D849682FD862";
const char* const kSetClientDhParams =
    "0000000000000000185C0700513DC565780100001F5F04F5406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A2"
    "6154F932AF019943FE50010014D185E575255986C29BE3A0437D525BA22430CBA0CD755225945AD3A1ACEFB536518514"
    "F5086892E6E3FA84D1CBB644BC8F7BEBCDE74E31BA8A073F47623EBB6E7D94B3A676A4C1AFD4689C52D05F73D21C33F6"
    "4FE6AEABD04273D9117CD064E467E1F8E6C887BCAE4679E0399AD35DB1302A80629618F8C8485248D89A4E3568B464FF"
    "7B608CBE24B51EEB81B65D76224B62A1669EAA48A99C122E5E8A778E13DD441DC52175160088A498F186A2B99C736FE8"
    "C5C3E274D804C629564A0F15DDABC5B449356A7990900652A7432AFB1499C7CE09246F6B29006425DF2926465B04F17C"
    "0077B6A336A50E46B675AD5607F05818F84EADEC1F4847BF311027E742F8B1E183C01810C4CE964F2A0F36E257849C14"
    "4C9B0B93B4A7A9E57391DB0CCB0D757A2B7A77257C8FF55553D66B6E1D45E9D8CA88E5A47B16322FF2ED5F5ABE099E70"
    "06B2D29C829D746B704130B1";
const char* const kDhGenOk =
    "00000000000000000100BE91513DC5657400000034F7CB3B406709F612FADFBEC3F0289D0AA67EEFE11DBC3BC97D91A2"
    "6154F932AF0199431142871352165E59E1124036B48B97D3";

Bytes body_of(const char* payload) {
  Bytes all = from_hex(payload);
  REQUIRE(all.size() > 20);
  return Bytes(all.begin() + 20, all.end());
}

std::uint64_t le64(const char* hex) {
  Bytes b = from_hex(hex);
  REQUIRE(b.size() == 8);
  std::uint64_t v;
  std::memcpy(&v, b.data(), 8);
  return v;
}

ScriptedRandom sample_randomness() {
  return ScriptedRandom({{16, from_hex(kNonce)},
                         {32, from_hex(kNewNonce)},
                         {92, from_hex(kRsaPadding)},
                         {32, std::nullopt},  // RSA_PAD temp_key: not published
                         {256, from_hex(kB)},
                         {12, from_hex(kAnswerPadding)}});
}

crypto::RsaPublicKey production_key() {
  auto key = crypto::parse_rsa_public_key_pem(crypto::telegram_production_key().pem);
  REQUIRE(key);
  REQUIRE(key->fingerprint() == 0xd09d1d85de64fd85);
  return *key;
}

}  // namespace

TEST_CASE("sample: the client reproduces the official handshake byte for byte", "[auth][sample]") {
  ScriptedRandom random = sample_randomness();
  ClientHandshakeOptions options;
  options.dc_id = 2;
  options.trusted_keys = {server_key().public_key(), production_key()};  // the server offers only production keys
  options.random = random.source();
  options.clock = fixed_clock(1707425100);  // server_time in the sample is 1707425105
  ClientHandshake client(options);

  CHECK(client.first_message() == body_of(kReqPqMulti));

  auto req_dh = client.on_message(body_of(kResPq));
  REQUIRE(req_dh);
  REQUIRE(req_dh->kind == ClientAction::Kind::kSend);
  const Bytes prefix = body_of(kReqDhParamsPrefix);
  REQUIRE(req_dh->body.size() == prefix.size() + 256);
  CHECK(Bytes(req_dh->body.begin(), req_dh->body.begin() + prefix.size()) == prefix);

  auto set_client = client.on_message(body_of(kServerDhParamsOk));
  REQUIRE(set_client);
  REQUIRE(set_client->kind == ClientAction::Kind::kSend);
  CHECK(to_hex(set_client->body) == to_hex(body_of(kSetClientDhParams)));
  CHECK(random.exhausted());

  auto done = client.on_message(body_of(kDhGenOk));
  REQUIRE(done);
  REQUIRE(done->kind == ClientAction::Kind::kDone);
  const AuthKeyResult& result = *done->result;
  CHECK(to_hex(result.auth_key) == to_hex(from_hex(crypto_test::kVectorAuthKey)));
  CHECK(result.auth_key_id == le64("65588B3350EF784E"));
  CHECK(result.server_salt == le64("49A6747298503DCE"));
  CHECK(result.server_time_offset == std::chrono::seconds(5));
  CHECK(client.done());
}

TEST_CASE("sample: req_DH_params' RSA_PAD plaintext is the sample's inner data and padding", "[auth][sample]") {
  // The same resPQ, but offering our own key's fingerprint, so we can decrypt what the client sends.
  auto res = tl::parse<mt::resPQ>(body_of(kResPq));
  REQUIRE(res);
  mt::resPQ ours = *res;
  ours.server_public_key_fingerprints = {static_cast<std::int64_t>(server_key().public_key().fingerprint())};

  ScriptedRandom random = sample_randomness();
  ClientHandshakeOptions options;
  options.dc_id = 2;
  options.trusted_keys = {production_key(), server_key().public_key()};
  options.random = random.source();
  ClientHandshake client(options);
  REQUIRE(client.first_message() == body_of(kReqPqMulti));
  auto req_dh = client.on_message(tl::serialize(ours));
  REQUIRE(req_dh);

  auto req = tl::parse<mt::req_DH_params>(req_dh->body);
  REQUIRE(req);
  CHECK(static_cast<std::uint64_t>(req->public_key_fingerprint) == server_key().public_key().fingerprint());
  CHECK(req->p == from_hex("5A300D4B"));
  CHECK(req->q == from_hex("6A26DB65"));
  auto raw = server_key().decrypt_raw(req->encrypted_data);
  REQUIRE(raw);
  auto padded = crypto::rsa_pad_unwrap(*raw);
  REQUIRE(padded);
  Bytes expected = from_hex(kInnerData);
  Bytes padding = from_hex(kRsaPadding);
  expected.insert(expected.end(), padding.begin(), padding.end());
  REQUIRE(expected.size() == 192);
  CHECK(to_hex(*padded) == to_hex(expected));
}

TEST_CASE("sample: a dh_gen_ok with a wrong new_nonce_hash1 is refused", "[auth][sample]") {
  ScriptedRandom random = sample_randomness();
  ClientHandshakeOptions options;
  options.dc_id = 2;
  options.trusted_keys = {production_key()};
  options.random = random.source();
  ClientHandshake client(options);
  (void)client.first_message();
  REQUIRE(client.on_message(body_of(kResPq)));
  REQUIRE(client.on_message(body_of(kServerDhParamsOk)));
  Bytes dh_gen_ok = body_of(kDhGenOk);
  dh_gen_ok[40] ^= 0x01;  // inside new_nonce_hash1
  auto r = client.on_message(dh_gen_ok);
  REQUIRE_FALSE(r);
  CHECK(r.error().type == "HANDSHAKE_BAD_NEW_NONCE_HASH");
}
