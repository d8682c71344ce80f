// Login flows of the test DC's API: phone + code, 2FA over real SRP, bot token, logout, and the
// 401 AUTH_KEY_UNREGISTERED rule; plus help.* and the dispatcher's answers to unknown requests.
#include "api_test_support.hpp"
#include "crypto/srp.hpp"

using namespace testdc::test;
using testdc::ApiReply;

namespace {

std::string send_code(ApiWorld& w, int dc, const std::shared_ptr<testdc::AuthKeyInfo>& key, const std::string& phone) {
  auto sent = result_of<api::auth_SentCode>(w.call(dc, key, api::auth_sendCode{phone, 1, "h", api::codeSettings{}}));
  const auto& s = sent.get<api::auth_sentCode>();
  CHECK(s.type.is<api::auth_sentCodeTypeApp>());
  CHECK_FALSE(s.phone_code_hash.empty());
  return s.phone_code_hash;
}

ApiReply sign_in(ApiWorld& w, int dc, const std::shared_ptr<testdc::AuthKeyInfo>& key, const std::string& phone,
                 const std::string& hash, const std::string& code) {
  return w.call(dc, key, api::auth_signIn{phone, hash, code, std::nullopt});
}

ApiReply get_self(ApiWorld& w, int dc, const std::shared_ptr<testdc::AuthKeyInfo>& key) {
  return w.call(dc, key, api::users_getUsers{{api::inputUserSelf{}}});
}

}  // namespace

TEST_CASE("login by code: unknown phone, wrong code, then success binds the user to the key") {
  ApiWorld w;
  auto key = w.new_key(2);
  CHECK(error_of(get_self(w, 2, key)) == "AUTH_KEY_UNREGISTERED 401");
  CHECK(error_of(w.call(2, key, api::auth_sendCode{"15559999999", 1, "h", api::codeSettings{}})) ==
        "PHONE_NUMBER_INVALID 400");

  const std::string hash = send_code(w, 2, key, "+1 555 000 0001");
  CHECK(error_of(sign_in(w, 2, key, "15550000001", hash, "99999")) == "PHONE_CODE_INVALID 400");
  CHECK(error_of(sign_in(w, 2, key, "15550000001", "not-a-hash", "12345")) == "PHONE_CODE_EXPIRED 400");
  CHECK(error_of(sign_in(w, 2, key, "15550000001", hash, "")) == "PHONE_CODE_EMPTY 400");
  CHECK_FALSE(key->user_id.has_value());

  auto auth = result_of<api::auth_Authorization>(sign_in(w, 2, key, "15550000001", hash, "12345"));
  const auto& user = auth.get<api::auth_authorization>().user.get<api::user>();
  CHECK(user.id == kUserPlain);
  CHECK(user.self);
  CHECK(user.phone == std::optional<std::string>("15550000001"));
  CHECK(key->user_id == kUserPlain);
  // The hash is used up.
  CHECK(error_of(sign_in(w, 2, w.new_key(2), "15550000001", hash, "12345")) == "PHONE_CODE_EXPIRED 400");

  auto users = result_of<std::vector<api::User>>(get_self(w, 2, key));
  REQUIRE(users.size() == 1);
  CHECK(users[0].get<api::user>().username == std::optional<std::string>("alice_user"));

  // A key is authorized only on its own DC.
  CHECK(error_of(get_self(w, 4, key)) == "AUTH_KEY_UNREGISTERED 401");

  // Logout unbinds.
  CHECK(result_of<api::auth_LoggedOut>(w.call(2, key, api::auth_logOut{})).is<api::auth_loggedOut>());
  CHECK(error_of(get_self(w, 2, key)) == "AUTH_KEY_UNREGISTERED 401");
  CHECK(error_of(w.call(2, key, api::auth_logOut{})) == "AUTH_KEY_UNREGISTERED 401");
}

TEST_CASE("login codes expire and accounts log in on their home DC only") {
  ApiWorld w;
  auto key = w.new_key(2);
  const std::string hash = send_code(w, 2, key, "15550000001");
  w.advance_ms(testdc::ApiState::kCodeLifetimeMs);
  CHECK(error_of(sign_in(w, 2, key, "15550000001", hash, "12345")) == "PHONE_CODE_EXPIRED 400");
  CHECK(error_of(w.call(2, key, api::auth_sendCode{"15550000003", 1, "h", api::codeSettings{}})) ==
        "PHONE_MIGRATE_4 303");
  auto dc4 = w.new_key(4);
  const std::string hash4 = send_code(w, 4, dc4, "15550000003");
  CHECK(result_of<api::auth_Authorization>(sign_in(w, 4, dc4, "15550000003", hash4, "33333"))
            .is<api::auth_authorization>());
  CHECK(dc4->user_id == kUserDc4);
}

TEST_CASE("2FA: SESSION_PASSWORD_NEEDED, then SRP with the right password logs in, a wrong one does not") {
  ApiWorld w;
  auto key = w.new_key(2);
  CHECK(error_of(w.call(2, key, api::account_getPassword{})) == "AUTH_KEY_UNREGISTERED 401");
  const std::string hash = send_code(w, 2, key, "15550000002");
  CHECK(error_of(sign_in(w, 2, key, "15550000002", hash, "22222")) == "SESSION_PASSWORD_NEEDED 401");
  CHECK_FALSE(key->user_id.has_value());
  CHECK(error_of(get_self(w, 2, key)) == "AUTH_KEY_UNREGISTERED 401");

  auto answer_for = [&](const std::string& password, std::int64_t* srp_id) {
    auto pw = result_of<api::account_Password>(w.call(2, key, api::account_getPassword{}))
                  .get<api::account_password>();
    REQUIRE(pw.has_password);
    REQUIRE(pw.srp_B);
    REQUIRE(pw.srp_id);
    const auto& algo =
        pw.current_algo->get<api::passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow>();
    CHECK(algo.p.size() == 256);
    CHECK(algo.g == 3);
    mtp::crypto::SrpParams params{algo.salt1, algo.salt2, algo.g, algo.p};
    auto answer = mtp::crypto::srp_client_answer(params, password, *pw.srp_B, mtp::crypto::seeded_random(9));
    REQUIRE(answer.ok());
    *srp_id = *pw.srp_id;
    return api::inputCheckPasswordSRP{*pw.srp_id, answer->a_public, mtp::Bytes(answer->m1.begin(), answer->m1.end())};
  };

  std::int64_t srp_id = 0;
  auto wrong = answer_for("hunter3", &srp_id);
  CHECK(error_of(w.call(2, key, api::auth_checkPassword{wrong})) == "PASSWORD_HASH_INVALID 400");
  CHECK_FALSE(key->user_id.has_value());
  // The srp_id was good for one attempt.
  CHECK(error_of(w.call(2, key, api::auth_checkPassword{wrong})) == "SRP_ID_INVALID 400");

  // A newer account.getPassword replaces the key's open check: the older srp_id is stale.
  auto stale = answer_for("hunter2", &srp_id);
  auto right = answer_for("hunter2", &srp_id);
  CHECK(error_of(w.call(2, key, api::auth_checkPassword{stale})) == "SRP_ID_INVALID 400");
  // Another key cannot use this key's SRP session.
  auto other = w.new_key(2);
  CHECK(error_of(w.call(2, other, api::auth_checkPassword{right})) == "AUTH_KEY_UNREGISTERED 401");
  auto auth = result_of<api::auth_Authorization>(w.call(2, key, api::auth_checkPassword{right}));
  CHECK(auth.get<api::auth_authorization>().user.get<api::user>().id == kUser2fa);
  CHECK(key->user_id == kUser2fa);
}

TEST_CASE("account.getPassword without a password says so") {
  ApiWorld w;
  auto key = w.login(2, "15550000001", "12345");
  auto pw = result_of<api::account_Password>(w.call(2, key, api::account_getPassword{})).get<api::account_password>();
  CHECK_FALSE(pw.has_password);
  CHECK_FALSE(pw.srp_B.has_value());
  CHECK(pw.new_algo.is<api::passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow>());
}

TEST_CASE("bot login by token") {
  ApiWorld w;
  auto key = w.new_key(2);
  CHECK(error_of(w.call(2, key, api::auth_importBotAuthorization{0, 1, "h", "100001:WRONG"})) ==
        "ACCESS_TOKEN_INVALID 400");
  auto auth = result_of<api::auth_Authorization>(w.call(2, key, api::auth_importBotAuthorization{0, 1, "h", "100001:TESTBOT"}));
  const auto& user = auth.get<api::auth_authorization>().user.get<api::user>();
  CHECK(user.bot);
  CHECK(user.id == kBot);
  CHECK_FALSE(user.phone.has_value());
  CHECK(key->user_id == kBot);
}

TEST_CASE("help.getConfig lists every DC address, main before media-only") {
  ApiWorld w;
  w.state().set_addresses({{4, "127.0.0.1", 4004, false},
                           {2, "127.0.0.1", 4102, true},
                           {2, "127.0.0.1", 4002, false},
                           {1, "127.0.0.1", 4001, false}});
  auto key = w.new_key(2);  // no login needed
  auto config = result_of<api::Config>(w.call(2, key, api::help_getConfig{})).get<api::config>();
  CHECK(config.this_dc == 2);
  CHECK(config.expires > config.date);
  REQUIRE(config.dc_options.size() == 4);
  std::vector<std::tuple<int, int, bool>> got;
  for (const auto& o : config.dc_options) {
    const auto& d = o.get<api::dcOption>();
    CHECK(d.ip_address == "127.0.0.1");
    CHECK(d.this_port_only);
    got.emplace_back(d.id, d.port, d.media_only);
  }
  CHECK(got == std::vector<std::tuple<int, int, bool>>{{1, 4001, false}, {2, 4002, false}, {2, 4102, true}, {4, 4004, false}});

  auto nearest = result_of<api::NearestDc>(w.call(4, w.new_key(4), api::help_getNearestDc{})).get<api::nearestDc>();
  CHECK(nearest.this_dc == 4);
  CHECK(nearest.nearest_dc == 2);

  CHECK(error_of(w.call(2, key, api::updates_getState{})) == "AUTH_KEY_UNREGISTERED 401");
  auto logged = w.login(2, "15550000001", "12345");
  CHECK(result_of<api::updates_State>(w.call(2, logged, api::updates_getState{})).get<api::updates_state>().pts >= 1);
}

TEST_CASE("unknown, unsupported and malformed requests get 400 errors, not crashes") {
  ApiWorld w;
  auto key = w.new_key(2);
  auto unknown = w.call_raw(2, key, mtp::Bytes{0xef, 0xbe, 0xad, 0xde, 1, 2, 3, 4});
  std::string expected = "INPUT_METHOD_INVALID_";
  expected.append(std::to_string(0xdeadbeefu)).append(" 400");
  CHECK(error_of(unknown) == expected);
  CHECK(unknown.method == "unknown#deadbeef");
  CHECK(error_of(w.call_raw(2, key, mtp::Bytes{})).starts_with("INPUT_METHOD_INVALID"));

  auto unsupported = w.call(2, key, api::account_updateStatus{true});
  CHECK(error_of(unsupported) == "METHOD_NOT_SUPPORTED 400");
  CHECK(unsupported.method == "account.updateStatus");

  mtp::Bytes truncated = mtp::tl::serialize(api::auth_sendCode{"15550000001", 1, "h", api::codeSettings{}});
  truncated.resize(truncated.size() - 3);
  auto bad = w.call_raw(2, key, truncated);
  CHECK(error_of(bad) == "INPUT_FETCH_ERROR 400");
  CHECK(bad.method == "auth.sendCode");
}
