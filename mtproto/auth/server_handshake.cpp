#include "auth/server_handshake.hpp"

#include <algorithm>
#include <cstdio>

#include "crypto/handshake_kdf.hpp"
#include "crypto/pq.hpp"
#include "crypto/rsa_pad.hpp"
#include "tl/mtproto.hpp"

namespace mtp::auth {
namespace mt = tl::mt;
namespace {

// The fields every p_q_inner_data constructor shares, plus the optional ones.
struct InnerData {
  Bytes pq, p, q;
  Int128 nonce{};
  Int128 server_nonce{};
  Int256 new_nonce{};
  std::int32_t dc = 0;
  std::optional<std::int32_t> expires_in;
};

template <class T>
InnerData common_fields(const T& v) {
  InnerData d;
  d.pq = v.pq;
  d.p = v.p;
  d.q = v.q;
  d.nonce = v.nonce;
  d.server_nonce = v.server_nonce;
  d.new_nonce = v.new_nonce;
  return d;
}

InnerData flatten(const mt::P_Q_inner_data& boxed) {
  if (const auto* v = boxed.get_if<mt::p_q_inner_data_dc>()) {
    InnerData d = common_fields(*v);
    d.dc = v->dc;
    return d;
  }
  if (const auto* v = boxed.get_if<mt::p_q_inner_data_temp_dc>()) {
    InnerData d = common_fields(*v);
    d.dc = v->dc;
    d.expires_in = v->expires_in;
    return d;
  }
  if (const auto* v = boxed.get_if<mt::p_q_inner_data_temp>()) {
    InnerData d = common_fields(*v);
    d.expires_in = v->expires_in;
    return d;
  }
  return common_fields(boxed.get<mt::p_q_inner_data>());
}

// Parses p_q_inner_data from the front of `plain` (data followed by the client's padding).
// Returns the object and how many bytes it took.
std::optional<std::pair<mt::P_Q_inner_data, std::size_t>> parse_inner(ByteSpan plain) {
  tl::Reader r(plain);
  mt::P_Q_inner_data inner = mt::P_Q_inner_data::fetch(r);
  if (!r.ok()) return std::nullopt;
  return std::pair{std::move(inner), r.position()};
}

}  // namespace

std::string_view handshake_fault_name(HandshakeFault fault) {
  switch (fault) {
    case HandshakeFault::kNone: return "none";
    case HandshakeFault::kUnknownFingerprint: return "unknown-fingerprint";
    case HandshakeFault::kBadDhPrime: return "bad-dh-prime";
    case HandshakeFault::kGaOutOfRange: return "g-a-out-of-range";
    case HandshakeFault::kBadNonce: return "bad-nonce";
  }
  return "none";
}

std::optional<HandshakeFault> handshake_fault_from_name(std::string_view name) {
  for (HandshakeFault f : {HandshakeFault::kNone, HandshakeFault::kUnknownFingerprint, HandshakeFault::kBadDhPrime,
                           HandshakeFault::kGaOutOfRange, HandshakeFault::kBadNonce}) {
    if (handshake_fault_name(f) == name) return f;
  }
  return std::nullopt;
}

std::uint64_t unknown_fingerprint(std::uint64_t ours) { return ours ^ 0x5a5a5a5a5a5a5a5aULL; }

Bytes bad_dh_prime() {
  ByteSpan good = crypto::telegram_dh_prime();
  Bytes bad(good.begin(), good.end());
  // The low byte is 0x5B: minus 6 neither borrows nor changes the parity or the residue mod 3.
  bad.back() = static_cast<std::uint8_t>(bad.back() - 6);
  return bad;
}

ServerHandshake::ServerHandshake(crypto::RsaPrivateKey key, ServerHandshakeOptions options)
    : key_(std::move(key)),
      fingerprint_(key_.public_key().fingerprint()),
      options_(std::move(options)),
      group_(crypto::DhGroup::standard()) {
  if (!options_.random) options_.random = crypto::system_random();
  if (!options_.clock) options_.clock = session::system_wall_clock();
}

ServerAction ServerHandshake::reject(std::string reason) {
  state_ = State::kFailed;
  std::fill(a_.begin(), a_.end(), 0);
  return ServerAction::transport_error(std::move(reason));
}

ServerAction ServerHandshake::on_message(ByteSpan body) {
  tl::Reader peek(body);
  const std::uint32_t id = peek.peek_uint32();
  if (id == mt::req_pq_multi::kId || id == mt::req_pq::kId) {
    // Both carry just a nonce; req_pq is the deprecated twin old clients still send.
    if (id == mt::req_pq_multi::kId) {
      auto req = tl::parse<mt::req_pq_multi>(body);
      if (!req) return reject("malformed req_pq_multi: " + req.error().to_string());
      return on_req_pq(req->nonce);
    }
    auto req = tl::parse<mt::req_pq>(body);
    if (!req) return reject("malformed req_pq: " + req.error().to_string());
    return on_req_pq(req->nonce);
  }
  if (id == mt::req_DH_params::kId && state_ == State::kWaitDhParams) return on_req_dh_params(body);
  if (id == mt::set_client_DH_params::kId && state_ == State::kWaitClientDh) return on_set_client_dh_params(body);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08x", id);
  std::string reason = "unexpected message for the handshake state (constructor ";
  reason.append(hex).append(")");
  return reject(std::move(reason));
}

ServerAction ServerHandshake::on_req_pq(const Int128& nonce) {
  result_.reset();
  nonce_ = nonce;
  options_.random(server_nonce_);
  crypto::PqFactors factors = crypto::generate_pq(options_.random);
  pq_ = crypto::pq_to_bytes(factors.p * factors.q);
  p_ = crypto::pq_to_bytes(factors.p);
  q_ = crypto::pq_to_bytes(factors.q);
  expected_retry_id_ = 0;
  state_ = State::kWaitDhParams;
  const std::uint64_t offered =
      options_.fault == HandshakeFault::kUnknownFingerprint ? unknown_fingerprint(fingerprint_) : fingerprint_;
  Int128 echoed = nonce_;
  if (options_.fault == HandshakeFault::kBadNonce) echoed[0] ^= 0x01;  // a replayed or forged resPQ looks like this
  mt::resPQ answer{.nonce = echoed,
                   .server_nonce = server_nonce_,
                   .pq = pq_,
                   .server_public_key_fingerprints = {static_cast<std::int64_t>(offered)}};
  return ServerAction::send(tl::serialize(answer));
}

ServerAction ServerHandshake::on_req_dh_params(ByteSpan body) {
  auto req = tl::parse<mt::req_DH_params>(body);
  if (!req) return reject("malformed req_DH_params: " + req.error().to_string());
  if (req->nonce != nonce_ || req->server_nonce != server_nonce_) return reject("req_DH_params: nonce mismatch");
  if (static_cast<std::uint64_t>(req->public_key_fingerprint) != fingerprint_) {
    return reject("req_DH_params: unknown public_key_fingerprint");
  }
  if (req->p != p_ || req->q != q_) return reject("req_DH_params: wrong p or q");

  auto raw = crypto::rsa_decrypt_handshake(key_, req->encrypted_data);
  if (!raw) return reject("req_DH_params: " + raw.error().to_string());

  // RSA_PAD first; if its SHA-256 binding does not hold, the legacy SHA1 + data + padding scheme.
  std::optional<mt::P_Q_inner_data> inner;
  legacy_rsa_ = false;
  if (auto padded = crypto::rsa_pad_unwrap(*raw)) {
    auto parsed = parse_inner(*padded);
    if (!parsed || parsed->second > crypto::kRsaPadMaxData) return reject("req_DH_params: bad RSA_PAD inner data");
    inner = std::move(parsed->first);
  } else if (auto legacy = crypto::legacy_rsa_unwrap(*raw)) {
    auto parsed = parse_inner(legacy->body);
    if (!parsed || !legacy->matches(parsed->second, crypto::kLegacyRsaMaxData)) {
      return reject("req_DH_params: encrypted_data is neither RSA_PAD nor the legacy scheme");
    }
    inner = std::move(parsed->first);
    legacy_rsa_ = true;
  } else {
    return reject("req_DH_params: encrypted_data is neither RSA_PAD nor the legacy scheme");
  }

  InnerData data = flatten(*inner);
  if (data.nonce != nonce_ || data.server_nonce != server_nonce_) return reject("p_q_inner_data: nonce mismatch");
  if (data.pq != pq_ || data.p != p_ || data.q != q_) return reject("p_q_inner_data: wrong pq, p or q");
  new_nonce_ = data.new_nonce;
  client_dc_ = data.dc;
  expires_in_ = data.expires_in;

  crypto::DhGroup::KeyPair pair = group_.generate(options_.random);
  a_ = std::move(pair.secret);
  g_a_ = std::move(pair.public_value);
  server_time_ = static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(options_.clock()).count());
  mt::server_DH_inner_data answer{.nonce = nonce_,
                                  .server_nonce = server_nonce_,
                                  .g = group_.g(),
                                  .dh_prime = group_.prime_bytes(),
                                  .g_a = g_a_,
                                  .server_time = server_time_};
  // The lies go inside the encrypted, SHA1-covered answer: only the client's DH checks can see them.
  if (options_.fault == HandshakeFault::kBadDhPrime) answer.dh_prime = bad_dh_prime();
  if (options_.fault == HandshakeFault::kGaOutOfRange) answer.g_a = Bytes{1};
  mt::server_DH_params_ok ok{
      .nonce = nonce_,
      .server_nonce = server_nonce_,
      .encrypted_answer = crypto::encrypt_with_hash(crypto::tmp_aes_key(new_nonce_, server_nonce_),
                                                    tl::serialize(answer), options_.random)};
  state_ = State::kWaitClientDh;
  return ServerAction::send(tl::serialize(ok));
}

ServerAction ServerHandshake::on_set_client_dh_params(ByteSpan body) {
  auto req = tl::parse<mt::set_client_DH_params>(body);
  if (!req) return reject("malformed set_client_DH_params: " + req.error().to_string());
  if (req->nonce != nonce_ || req->server_nonce != server_nonce_) return reject("set_client_DH_params: nonce mismatch");

  auto decrypted = crypto::decrypt_with_hash(crypto::tmp_aes_key(new_nonce_, server_nonce_), req->encrypted_data);
  if (!decrypted) return reject("set_client_DH_params: " + decrypted.error().to_string());
  std::optional<std::size_t> length = crypto::find_hashed_length(*decrypted);
  if (!length) return reject("set_client_DH_params: SHA1 of client_DH_inner_data does not match");
  auto inner = tl::parse<mt::client_DH_inner_data>(ByteSpan(decrypted->body).first(*length));
  if (!inner) return reject("malformed client_DH_inner_data: " + inner.error().to_string());
  if (inner->nonce != nonce_ || inner->server_nonce != server_nonce_) return reject("client_DH_inner_data: nonce mismatch");

  // shared_key checks 1 < g_b < p-1 and the 2^(2048-64) margins first.
  auto key = group_.shared_key(inner->g_b, a_);
  if (!key) return reject("client_DH_inner_data: " + key.error().to_string());
  const std::uint64_t aux = crypto::auth_key_aux_hash(*key);
  const std::uint64_t id = crypto::auth_key_id(*key);

  if (static_cast<std::uint64_t>(inner->retry_id) != expected_retry_id_) {
    state_ = State::kFailed;
    std::fill(a_.begin(), a_.end(), 0);
    mt::dh_gen_fail fail{.nonce = nonce_, .server_nonce = server_nonce_,
                         .new_nonce_hash3 = crypto::new_nonce_hash(new_nonce_, 3, aux)};
    return ServerAction::send(tl::serialize(fail), "client_DH_inner_data: wrong retry_id");
  }
  if (options_.key_id_free && !options_.key_id_free(id)) {
    // The client must come back with a new g_b and this key's aux hash as retry_id.
    expected_retry_id_ = aux;
    mt::dh_gen_retry retry{.nonce = nonce_, .server_nonce = server_nonce_,
                           .new_nonce_hash2 = crypto::new_nonce_hash(new_nonce_, 2, aux)};
    return ServerAction::send(tl::serialize(retry), "auth_key_id already in use");
  }

  ServerAuthKey result;
  result.auth_key = std::move(key).value();
  result.auth_key_id = id;
  result.server_salt = crypto::initial_server_salt(new_nonce_, server_nonce_);
  result.server_time_offset = std::chrono::seconds(0);
  result.server_time = server_time_;
  result.dc_id = client_dc_;
  result.expires_in = expires_in_;
  result.legacy_rsa = legacy_rsa_;
  result_ = std::move(result);
  state_ = State::kDone;
  std::fill(a_.begin(), a_.end(), 0);
  mt::dh_gen_ok ok{.nonce = nonce_, .server_nonce = server_nonce_,
                   .new_nonce_hash1 = crypto::new_nonce_hash(new_nonce_, 1, aux)};
  return ServerAction::send(tl::serialize(ok));
}

}  // namespace mtp::auth
