#include "handshake_support.hpp"

#include "crypto/bignum.hpp"
#include "crypto/dh.hpp"
#include "crypto/handshake_kdf.hpp"
#include "crypto/pq.hpp"
#include "crypto/rsa_pad.hpp"
#include "crypto/sha.hpp"

namespace mtp::auth::test {
namespace mt = tl::mt;

const crypto::RsaPrivateKey& server_key() {
  static const crypto::RsaPrivateKey key = [] {
    auto generated = crypto::RsaPrivateKey::generate(2048);
    REQUIRE(generated);
    return std::move(generated).value();
  }();
  return key;
}

session::WallClock fixed_clock(std::int64_t unix_seconds) {
  return [unix_seconds] { return std::chrono::nanoseconds(std::chrono::seconds(unix_seconds)); };
}

ScriptedRandom::ScriptedRandom(std::vector<Chunk> chunks) : state_(std::make_shared<State>()) {
  state_->chunks.assign(chunks.begin(), chunks.end());
}

crypto::RandomSource ScriptedRandom::source() {
  return [state = state_](MutableByteSpan out) {
    if (state->last_wildcard == out.size() &&
        (state->chunks.empty() || state->chunks.front().size != out.size())) {
      state->filler(out);  // a wildcard drawn again
      return;
    }
    REQUIRE_FALSE(state->chunks.empty());
    Chunk chunk = state->chunks.front();
    state->chunks.pop_front();
    REQUIRE(chunk.size == out.size());
    if (chunk.bytes) {
      std::copy(chunk.bytes->begin(), chunk.bytes->end(), out.begin());
      state->last_wildcard.reset();
    } else {
      state->filler(out);
      state->last_wildcard = out.size();
    }
  };
}

PairOutcome run_pair(ClientHandshake& client, ServerHandshake& server, const Tamper& tamper) {
  PairOutcome outcome;
  Bytes to_server = client.first_message();
  for (int round = 0; round < 20; ++round) {
    if (tamper) tamper(true, outcome.messages, to_server);
    ++outcome.messages;
    ServerAction answer = server.on_message(to_server);
    if (answer.kind == ServerAction::Kind::kTransportError) {
      outcome.server_error = answer;
      return outcome;
    }
    if (tamper) tamper(false, outcome.messages, answer.body);
    ++outcome.messages;
    auto action = client.on_message(answer.body);
    if (!action) {
      outcome.client_error = action.error();
      return outcome;
    }
    if (action->kind == ClientAction::Kind::kDone) {
      outcome.client = action->result;
      return outcome;
    }
    to_server = action->body;
  }
  FAIL("handshake did not finish in 20 rounds");
  return outcome;
}

ClientHandshakeOptions client_options(std::uint64_t seed, std::int32_t dc) {
  ClientHandshakeOptions options;
  options.dc_id = dc;
  options.trusted_keys = {server_key().public_key()};
  options.random = crypto::seeded_random(seed);
  options.clock = fixed_clock(1'700'000'000);
  return options;
}

ServerHandshakeOptions server_options(std::uint64_t seed) {
  ServerHandshakeOptions options;
  options.random = crypto::seeded_random(seed ^ 0x5e5e5e5eu);
  options.clock = fixed_clock(1'700'000'042);
  return options;
}

Int256 new_nonce_of(ByteSpan req_dh_params_body) {
  auto req = tl::parse<mt::req_DH_params>(req_dh_params_body);
  REQUIRE(req);
  auto raw = server_key().decrypt_raw(req->encrypted_data);
  REQUIRE(raw);
  auto padded = crypto::rsa_pad_unwrap(*raw);
  REQUIRE(padded);
  tl::Reader r(*padded);
  auto inner = mt::P_Q_inner_data::fetch(r);
  REQUIRE(r.ok());
  return inner.get<mt::p_q_inner_data_dc>().new_nonce;
}

Bytes rewrite_client_dh(ByteSpan body, const Int256& new_nonce,
                        const std::function<void(mt::client_DH_inner_data&)>& edit) {
  auto req = tl::parse<mt::set_client_DH_params>(body);
  REQUIRE(req);
  const crypto::TmpAesKey key = crypto::tmp_aes_key(new_nonce, req->server_nonce);
  auto decrypted = crypto::decrypt_with_hash(key, req->encrypted_data);
  REQUIRE(decrypted);
  auto length = crypto::find_hashed_length(*decrypted);
  REQUIRE(length);
  auto inner = tl::parse<mt::client_DH_inner_data>(ByteSpan(decrypted->body).first(*length));
  REQUIRE(inner);
  mt::client_DH_inner_data changed = *inner;
  edit(changed);
  mt::set_client_DH_params out = *req;
  out.encrypted_data = crypto::encrypt_with_hash(key, tl::serialize(changed), crypto::seeded_random(3));
  return tl::serialize(out);
}

Bytes make_server_dh_params_ok(const mt::server_DH_inner_data& inner, const Int256& new_nonce) {
  mt::server_DH_params_ok ok{
      .nonce = inner.nonce,
      .server_nonce = inner.server_nonce,
      .encrypted_answer = crypto::encrypt_with_hash(crypto::tmp_aes_key(new_nonce, inner.server_nonce),
                                                    tl::serialize(inner), crypto::seeded_random(4))};
  return tl::serialize(ok);
}

Bytes telethon_rsa_encrypt(const crypto::RsaPublicKey& key, ByteSpan data, const crypto::RandomSource& random) {
  Bytes to_encrypt(255);
  crypto::Sha1Digest hash = crypto::sha1(data);
  std::copy(hash.begin(), hash.end(), to_encrypt.begin());
  std::copy(data.begin(), data.end(), to_encrypt.begin() + 20);
  random(MutableByteSpan(to_encrypt).subspan(20 + data.size()));
  crypto::BigNum m = crypto::BigNum::from_be(to_encrypt);
  return crypto::mod_exp(m, crypto::BigNum::from_be(key.e), crypto::BigNum::from_be(key.n)).to_be_padded(256);
}

namespace {

template <class Inner>
Inner fill_inner(const mt::resPQ& res, const Bytes& p, const Bytes& q, const Int256& new_nonce) {
  Inner inner{};
  inner.pq = res.pq;
  inner.p = p;
  inner.q = q;
  inner.nonce = res.nonce;
  inner.server_nonce = res.server_nonce;
  inner.new_nonce = new_nonce;
  return inner;
}

}  // namespace

Bytes ManualClient::run(ServerHandshake& server) {
  Int128 nonce;
  random(nonce);
  ServerAction answer = server.on_message(tl::serialize(mt::req_pq_multi{.nonce = nonce}));
  REQUIRE(answer.kind == ServerAction::Kind::kSend);
  auto res = tl::parse<mt::resPQ>(answer.body);
  REQUIRE(res);
  auto pq = crypto::pq_from_bytes(res->pq);
  REQUIRE(pq);
  auto factors = crypto::factorize_pq(*pq);
  REQUIRE(factors);
  const Bytes p = crypto::pq_to_bytes(factors->p), q = crypto::pq_to_bytes(factors->q);
  Int256 new_nonce;
  random(new_nonce);

  Bytes data;
  switch (inner) {
    case Inner::kPlain: data = tl::serialize(fill_inner<mt::p_q_inner_data>(*res, p, q, new_nonce)); break;
    case Inner::kDc: {
      auto v = fill_inner<mt::p_q_inner_data_dc>(*res, p, q, new_nonce);
      v.dc = -3;
      data = tl::serialize(v);
      break;
    }
    case Inner::kTemp: {
      auto v = fill_inner<mt::p_q_inner_data_temp>(*res, p, q, new_nonce);
      v.expires_in = 86400;
      data = tl::serialize(v);
      break;
    }
    case Inner::kTempDc: {
      auto v = fill_inner<mt::p_q_inner_data_temp_dc>(*res, p, q, new_nonce);
      v.dc = 10002;
      v.expires_in = 3600;
      data = tl::serialize(v);
      break;
    }
  }
  const crypto::RsaPublicKey& key = server_key().public_key();
  Bytes encrypted;
  if (rsa == Rsa::kLegacyTelethon) {
    encrypted = telethon_rsa_encrypt(key, data, random);
  } else {
    auto padded = crypto::rsa_pad_encrypt(key, data, random);
    REQUIRE(padded);
    encrypted = *padded;
  }
  answer = server.on_message(tl::serialize(mt::req_DH_params{.nonce = nonce,
                                                             .server_nonce = res->server_nonce,
                                                             .p = p,
                                                             .q = q,
                                                             .public_key_fingerprint =
                                                                 static_cast<std::int64_t>(key.fingerprint()),
                                                             .encrypted_data = encrypted}));
  REQUIRE(answer.kind == ServerAction::Kind::kSend);
  auto params = tl::parse<mt::Server_DH_Params>(answer.body);
  REQUIRE(params);
  const auto& ok = params->get<mt::server_DH_params_ok>();
  const crypto::TmpAesKey tmp = crypto::tmp_aes_key(new_nonce, res->server_nonce);
  auto decrypted = crypto::decrypt_with_hash(tmp, ok.encrypted_answer);
  REQUIRE(decrypted);
  auto length = crypto::find_hashed_length(*decrypted);
  REQUIRE(length);
  auto dh = tl::parse<mt::server_DH_inner_data>(ByteSpan(decrypted->body).first(*length));
  REQUIRE(dh);
  auto group = crypto::DhGroup::validate(dh->dh_prime, dh->g);
  REQUIRE(group);
  crypto::DhGroup::KeyPair b = group->generate(random);
  auto auth_key = group->shared_key(dh->g_a, b.secret);
  REQUIRE(auth_key);
  mt::client_DH_inner_data client_dh{.nonce = nonce, .server_nonce = res->server_nonce, .retry_id = 0,
                                     .g_b = b.public_value};
  answer = server.on_message(tl::serialize(mt::set_client_DH_params{
      .nonce = nonce,
      .server_nonce = res->server_nonce,
      .encrypted_data = crypto::encrypt_with_hash(tmp, tl::serialize(client_dh), random)}));
  REQUIRE(answer.kind == ServerAction::Kind::kSend);
  auto gen = tl::parse<mt::Set_client_DH_params_answer>(answer.body);
  REQUIRE(gen);
  REQUIRE(gen->is<mt::dh_gen_ok>());
  CHECK(gen->get<mt::dh_gen_ok>().new_nonce_hash1 ==
        crypto::new_nonce_hash(new_nonce, 1, crypto::auth_key_aux_hash(*auth_key)));
  return *auth_key;
}

}  // namespace mtp::auth::test
