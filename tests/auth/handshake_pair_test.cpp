// Our client against our server in memory: complete handshakes for several seeds, the retry path,
// and the server's compatibility paths (legacy RSA as Telethon sends it, every p_q_inner_data).
#include <catch2/catch.hpp>

#include "crypto/handshake_kdf.hpp"
#include "handshake_support.hpp"

using namespace mtp;
using namespace mtp::auth;
using namespace mtp::auth::test;

TEST_CASE("client and server agree on the key, for several seeds", "[auth][pair]") {
  for (std::uint64_t seed : {1u, 2u, 3u, 17u, 4242u}) {
    INFO("seed " << seed);
    ClientHandshake client(client_options(seed, 10002));
    ServerHandshake server(server_key(), server_options(seed));
    PairOutcome outcome = run_pair(client, server);
    REQUIRE(outcome.client);
    REQUIRE(server.result());
    CHECK(outcome.messages == 6);  // req_pq_multi, resPQ, req_DH_params, ok, set_client_DH_params, dh_gen_ok
    CHECK(client.done());

    const AuthKeyResult& mine = *outcome.client;
    const ServerAuthKey& theirs = *server.result();
    CHECK(mine.auth_key.size() == 256);
    CHECK(mine.auth_key == theirs.auth_key);
    CHECK(mine.auth_key_id == theirs.auth_key_id);
    CHECK(mine.auth_key_id == crypto::auth_key_id(mine.auth_key));
    CHECK(mine.server_salt == theirs.server_salt);
    // Server clock 1'700'000'042, client clock 1'700'000'000.
    CHECK(mine.server_time_offset == std::chrono::seconds(42));
    CHECK(theirs.server_time == 1'700'000'042);
    CHECK(theirs.dc_id == 10002);
    CHECK_FALSE(theirs.expires_in);
    CHECK_FALSE(theirs.legacy_rsa);
  }
}

TEST_CASE("different seeds give different keys, the same seed the same key", "[auth][pair]") {
  auto key_for = [](std::uint64_t seed) {
    ClientHandshake client(client_options(seed));
    ServerHandshake server(server_key(), server_options(seed));
    PairOutcome outcome = run_pair(client, server);
    REQUIRE(outcome.client);
    return outcome.client->auth_key;
  };
  CHECK(key_for(7) == key_for(7));
  CHECK(key_for(7) != key_for(8));
}

TEST_CASE("dh_gen_retry: the server refuses the first key id, the client retries with the aux hash", "[auth][pair]") {
  std::vector<std::uint64_t> asked;
  ServerHandshakeOptions options = server_options(11);
  options.key_id_free = [&](std::uint64_t id) {
    asked.push_back(id);
    return asked.size() > 2;  // refuse twice
  };
  ClientHandshake client(client_options(11));
  ServerHandshake server(server_key(), options);
  Int256 new_nonce{};
  std::vector<std::int64_t> retry_ids;
  PairOutcome outcome = run_pair(client, server, [&](bool to_server, int index, Bytes& body) {
    if (to_server && index == 2) new_nonce = new_nonce_of(body);
    if (to_server && index >= 4) {
      // Read (not change) the retry_id the client put in client_DH_inner_data.
      (void)rewrite_client_dh(body, new_nonce, [&](tl::mt::client_DH_inner_data& inner) {
        retry_ids.push_back(inner.retry_id);
      });
    }
  });
  REQUIRE(outcome.client);
  REQUIRE(server.result());
  CHECK(outcome.messages == 10);
  REQUIRE(asked.size() == 3);
  CHECK(asked[0] != asked[1]);  // a new b each time
  CHECK(asked[2] == outcome.client->auth_key_id);
  CHECK(outcome.client->auth_key == server.result()->auth_key);
  REQUIRE(retry_ids.size() == 3);
  CHECK(retry_ids[0] == 0);
  CHECK(retry_ids[1] != 0);
  CHECK(retry_ids[2] != retry_ids[1]);
}

TEST_CASE("dh_gen_retry without end: the client gives up after max_retries", "[auth][pair]") {
  ServerHandshakeOptions options = server_options(12);
  int asked = 0;
  options.key_id_free = [&](std::uint64_t) {
    ++asked;
    return false;
  };
  ClientHandshakeOptions client_opts = client_options(12);
  client_opts.max_retries = 3;
  ClientHandshake client(client_opts);
  ServerHandshake server(server_key(), options);
  PairOutcome outcome = run_pair(client, server);
  REQUIRE(outcome.client_error);
  CHECK(outcome.client_error->type == "HANDSHAKE_TOO_MANY_RETRIES");
  CHECK(asked == 4);
  CHECK_FALSE(server.result());
}

TEST_CASE("dh_gen_fail: a wrong retry_id fails on the server, the client reports it", "[auth][pair]") {
  ClientHandshake client(client_options(13));
  ServerHandshake server(server_key(), server_options(13));
  Int256 new_nonce{};
  Bytes last_sent;
  PairOutcome outcome = run_pair(client, server, [&](bool to_server, int index, Bytes& body) {
    if (to_server && index == 2) new_nonce = new_nonce_of(body);
    if (to_server && index == 4) {
      body = rewrite_client_dh(body, new_nonce, [](tl::mt::client_DH_inner_data& inner) { inner.retry_id = 77; });
      last_sent = body;
    }
  });
  REQUIRE(outcome.client_error);
  CHECK(outcome.client_error->type == "HANDSHAKE_DH_GEN_FAIL");
  CHECK(outcome.client_error->code == kErrSecurity);
  CHECK_FALSE(server.result());
  // The server's handshake is over: the same message again is a transport error, a new req_pq is not.
  CHECK(server.on_message(last_sent).kind == ServerAction::Kind::kTransportError);
  CHECK(server.on_message(tl::serialize(tl::mt::req_pq_multi{})).kind == ServerAction::Kind::kSend);
}

TEST_CASE("server accepts the legacy RSA scheme exactly as Telethon 1.x sends it", "[auth][pair][compat]") {
  for (auto inner : {ManualClient::Inner::kPlain, ManualClient::Inner::kDc}) {
    INFO("inner " << static_cast<int>(inner));
    ServerHandshake server(server_key(), server_options(21));
    ManualClient telethon{.inner = inner, .rsa = ManualClient::Rsa::kLegacyTelethon, .random = crypto::seeded_random(21)};
    Bytes key = telethon.run(server);
    REQUIRE(server.result());
    CHECK(server.result()->auth_key == key);
    CHECK(server.result()->legacy_rsa);
    CHECK(server.result()->dc_id == (inner == ManualClient::Inner::kPlain ? 0 : -3));
  }
}

TEST_CASE("server accepts every p_q_inner_data constructor over RSA_PAD", "[auth][pair][compat]") {
  using Inner = ManualClient::Inner;
  for (auto inner : {Inner::kPlain, Inner::kDc, Inner::kTemp, Inner::kTempDc}) {
    INFO("inner " << static_cast<int>(inner));
    ServerHandshake server(server_key(), server_options(22));
    ManualClient client{.inner = inner, .rsa = ManualClient::Rsa::kRsaPad, .random = crypto::seeded_random(22)};
    Bytes key = client.run(server);
    REQUIRE(server.result());
    const ServerAuthKey& result = *server.result();
    CHECK(result.auth_key == key);
    CHECK_FALSE(result.legacy_rsa);
    switch (inner) {
      case Inner::kPlain: CHECK(result.dc_id == 0); CHECK_FALSE(result.expires_in); break;
      case Inner::kDc: CHECK(result.dc_id == -3); CHECK_FALSE(result.expires_in); break;
      case Inner::kTemp: CHECK(result.dc_id == 0); CHECK(result.expires_in == 86400); break;
      case Inner::kTempDc: CHECK(result.dc_id == 10002); CHECK(result.expires_in == 3600); break;
    }
  }
}

TEST_CASE("server answers the deprecated req_pq like req_pq_multi", "[auth][pair][compat]") {
  ServerHandshake server(server_key(), server_options(23));
  Int128 nonce{};
  nonce[0] = 9;
  ServerAction answer = server.on_message(tl::serialize(tl::mt::req_pq{.nonce = nonce}));
  REQUIRE(answer.kind == ServerAction::Kind::kSend);
  auto res = tl::parse<tl::mt::resPQ>(answer.body);
  REQUIRE(res);
  CHECK(res->nonce == nonce);
  REQUIRE(res->server_public_key_fingerprints.size() == 1);
  CHECK(static_cast<std::uint64_t>(res->server_public_key_fingerprints[0]) == server_key().public_key().fingerprint());
  CHECK(server.fingerprint() == server_key().public_key().fingerprint());
}

TEST_CASE("a client can start over with a new req_pq_multi on the same server", "[auth][pair]") {
  ServerHandshake server(server_key(), server_options(24));
  ClientHandshake first(client_options(24));
  PairOutcome one = run_pair(first, server);
  REQUIRE(one.client);
  ClientHandshake second(client_options(25));
  PairOutcome two = run_pair(second, server);
  REQUIRE(two.client);
  REQUIRE(server.result());
  CHECK(server.result()->auth_key == two.client->auth_key);
  CHECK(one.client->auth_key != two.client->auth_key);
}

TEST_CASE("a temporary key: the client sends p_q_inner_data_temp_dc, the server records expires_in", "[auth][pair]") {
  ClientHandshakeOptions options = client_options(26, -2);
  options.temp_key_expires_in = 86400;
  ClientHandshake client(options);
  ServerHandshake server(server_key(), server_options(26));
  PairOutcome outcome = run_pair(client, server);
  REQUIRE(outcome.client);
  REQUIRE(server.result());
  CHECK(server.result()->expires_in == 86400);
  CHECK(server.result()->dc_id == -2);
  CHECK(server.result()->auth_key == outcome.client->auth_key);
}
