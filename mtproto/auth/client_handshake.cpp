#include "auth/client_handshake.hpp"

#include <algorithm>
#include <cstdio>

#include "crypto/handshake_kdf.hpp"
#include "crypto/pq.hpp"
#include "crypto/rsa_pad.hpp"
#include "crypto/sha.hpp"
#include "tl/mtproto.hpp"

namespace mtp::auth {
namespace mt = tl::mt;
namespace {

Error security(std::string type, std::string detail) {
  return Error::local(kErrSecurity, std::move(type), std::move(detail));
}

std::string hex_id(std::uint64_t value, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(value));
  return buf;
}

Error unexpected(std::string_view step, std::uint32_t id) {
  std::string detail = "constructor " + hex_id(id, 8);
  detail.append(" while waiting for ").append(step);
  return Error::local(kErrMalformed, "HANDSHAKE_UNEXPECTED", std::move(detail));
}

std::uint32_t leading_id(ByteSpan body) {
  tl::Reader r(body);
  return r.peek_uint32();
}

std::string fingerprints_to_string(const std::vector<std::int64_t>& fingerprints) {
  std::string out;
  for (std::int64_t f : fingerprints) {
    if (!out.empty()) out.append(", ");
    out.append(hex_id(static_cast<std::uint64_t>(f), 16));
  }
  return out.empty() ? std::string("none") : out;
}

}  // namespace

ClientHandshake::ClientHandshake(ClientHandshakeOptions options) : options_(std::move(options)) {
  if (!options_.random) options_.random = crypto::system_random();
  if (!options_.clock) options_.clock = session::system_wall_clock();
}

Bytes ClientHandshake::first_message() {
  *this = ClientHandshake(std::move(options_));
  options_.random(nonce_);
  state_ = State::kWaitResPq;
  return tl::serialize(mt::req_pq_multi{.nonce = nonce_});
}

Result<ClientAction> ClientHandshake::on_message(ByteSpan body) {
  Result<ClientAction> result = Error::local(kErrInternal, "HANDSHAKE_STATE", "no handshake in progress");
  switch (state_) {
    case State::kWaitResPq: result = on_res_pq(body); break;
    case State::kWaitDhParams: result = on_server_dh_params(body); break;
    case State::kWaitDhGen: result = on_dh_gen(body); break;
    case State::kIdle:
    case State::kDone:
    case State::kFailed: return result;
  }
  if (!result) {
    state_ = State::kFailed;
    std::fill(auth_key_.begin(), auth_key_.end(), 0);
  }
  return result;
}

Status ClientHandshake::check_nonces(const Int128& nonce, const Int128& server_nonce) const {
  if (nonce != nonce_) return security("HANDSHAKE_NONCE_MISMATCH", "nonce differs from ours");
  if (server_nonce != server_nonce_) return security("HANDSHAKE_NONCE_MISMATCH", "server_nonce differs from resPQ's");
  return {};
}

Result<ClientAction> ClientHandshake::on_res_pq(ByteSpan body) {
  if (leading_id(body) != mt::resPQ::kId) return unexpected("resPQ", leading_id(body));
  auto parsed = tl::parse<mt::resPQ>(body);
  if (!parsed) return std::move(parsed).error();
  const mt::resPQ& res = *parsed;
  if (res.nonce != nonce_) return security("HANDSHAKE_NONCE_MISMATCH", "resPQ does not echo our nonce");
  server_nonce_ = res.server_nonce;

  const crypto::RsaPublicKey* key = nullptr;
  for (std::int64_t offered : res.server_public_key_fingerprints) {
    auto it = std::find_if(options_.trusted_keys.begin(), options_.trusted_keys.end(), [&](const auto& k) {
      return k.fingerprint() == static_cast<std::uint64_t>(offered);
    });
    if (it != options_.trusted_keys.end()) {
      key = &*it;
      break;
    }
  }
  if (key == nullptr) {
    return security("HANDSHAKE_UNKNOWN_FINGERPRINT",
                    "the server offered RSA key fingerprints " + fingerprints_to_string(res.server_public_key_fingerprints) +
                        ", none of which is trusted");
  }

  auto pq = crypto::pq_from_bytes(res.pq);
  if (!pq) return std::move(pq).error();
  auto factors = crypto::factorize_pq(*pq);
  if (!factors) return std::move(factors).error();

  options_.random(new_nonce_);
  const Bytes p = crypto::pq_to_bytes(factors->p);
  const Bytes q = crypto::pq_to_bytes(factors->q);
  Bytes data;
  if (options_.temp_key_expires_in) {
    data = tl::serialize(mt::p_q_inner_data_temp_dc{.pq = res.pq, .p = p, .q = q, .nonce = nonce_,
                                                    .server_nonce = server_nonce_, .new_nonce = new_nonce_,
                                                    .dc = options_.dc_id,
                                                    .expires_in = *options_.temp_key_expires_in});
  } else {
    data = tl::serialize(mt::p_q_inner_data_dc{.pq = res.pq, .p = p, .q = q, .nonce = nonce_,
                                               .server_nonce = server_nonce_, .new_nonce = new_nonce_,
                                               .dc = options_.dc_id});
  }
  auto encrypted = crypto::rsa_pad_encrypt(*key, data, options_.random);
  if (!encrypted) return std::move(encrypted).error();

  mt::req_DH_params request{.nonce = nonce_,
                            .server_nonce = server_nonce_,
                            .p = p,
                            .q = q,
                            .public_key_fingerprint = static_cast<std::int64_t>(key->fingerprint()),
                            .encrypted_data = std::move(encrypted).value()};
  state_ = State::kWaitDhParams;
  return ClientAction::send(tl::serialize(request));
}

Result<ClientAction> ClientHandshake::on_server_dh_params(ByteSpan body) {
  auto parsed = tl::parse<mt::Server_DH_Params>(body);
  if (!parsed) {
    if (leading_id(body) != mt::server_DH_params_ok::kId && leading_id(body) != mt::server_DH_params_fail::kId) {
      return unexpected("server_DH_params", leading_id(body));
    }
    return std::move(parsed).error();
  }
  if (const auto* fail = parsed->get_if<mt::server_DH_params_fail>()) {
    MTP_TRY(check_nonces(fail->nonce, fail->server_nonce));
    crypto::Sha1Digest digest = crypto::sha1(ByteSpan(new_nonce_));
    if (!std::equal(fail->new_nonce_hash.begin(), fail->new_nonce_hash.end(), digest.begin() + 4)) {
      return security("HANDSHAKE_BAD_NEW_NONCE_HASH", "server_DH_params_fail with a wrong new_nonce_hash");
    }
    return security("HANDSHAKE_DH_PARAMS_FAIL", "the server refused req_DH_params");
  }
  const auto& ok = parsed->get<mt::server_DH_params_ok>();
  MTP_TRY(check_nonces(ok.nonce, ok.server_nonce));

  // Verify the SHA1 before parsing anything the server encrypted: only authenticated bytes are read.
  auto decrypted = crypto::decrypt_with_hash(crypto::tmp_aes_key(new_nonce_, server_nonce_), ok.encrypted_answer);
  if (!decrypted) return std::move(decrypted).error();
  std::optional<std::size_t> length = crypto::find_hashed_length(*decrypted);
  if (!length) return security("HANDSHAKE_BAD_ANSWER_HASH", "SHA1 of server_DH_inner_data does not match");
  auto inner = tl::parse<mt::server_DH_inner_data>(ByteSpan(decrypted->body).first(*length));
  if (!inner) return std::move(inner).error();
  MTP_TRY(check_nonces(inner->nonce, inner->server_nonce));

  auto group = crypto::DhGroup::validate(inner->dh_prime, inner->g);
  if (!group) return std::move(group).error();
  MTP_TRY(group->check_public(inner->g_a));
  group_ = std::move(group).value();
  g_a_ = inner->g_a;
  server_time_offset_ = std::chrono::seconds(inner->server_time) - options_.clock();

  auto request = make_set_client_dh_params(0);
  if (!request) return std::move(request).error();
  state_ = State::kWaitDhGen;
  return ClientAction::send(std::move(request).value());
}

Result<Bytes> ClientHandshake::make_set_client_dh_params(std::uint64_t retry_id) {
  crypto::DhGroup::KeyPair b = group_->generate(options_.random);
  MTP_TRY(group_->check_public(b.public_value));  // generate() draws again on failure; belt and braces
  auto key = group_->shared_key(g_a_, b.secret);
  std::fill(b.secret.begin(), b.secret.end(), 0);
  if (!key) return std::move(key).error();
  auth_key_ = std::move(key).value();
  aux_hash_ = crypto::auth_key_aux_hash(auth_key_);

  mt::client_DH_inner_data inner{.nonce = nonce_,
                                 .server_nonce = server_nonce_,
                                 .retry_id = static_cast<std::int64_t>(retry_id),
                                 .g_b = std::move(b.public_value)};
  mt::set_client_DH_params request{
      .nonce = nonce_,
      .server_nonce = server_nonce_,
      .encrypted_data = crypto::encrypt_with_hash(crypto::tmp_aes_key(new_nonce_, server_nonce_),
                                                  tl::serialize(inner), options_.random)};
  return tl::serialize(request);
}

Result<ClientAction> ClientHandshake::on_dh_gen(ByteSpan body) {
  auto parsed = tl::parse<mt::Set_client_DH_params_answer>(body);
  if (!parsed) {
    const std::uint32_t id = leading_id(body);
    if (id != mt::dh_gen_ok::kId && id != mt::dh_gen_retry::kId && id != mt::dh_gen_fail::kId) {
      return unexpected("dh_gen_*", id);
    }
    return std::move(parsed).error();
  }
  // All three carry nonce, server_nonce and new_nonce_hashN; N tells which one it is.
  auto check = [&](const auto& answer, const Int128& hash, std::uint8_t n) -> Status {
    MTP_TRY(check_nonces(answer.nonce, answer.server_nonce));
    if (hash != crypto::new_nonce_hash(new_nonce_, n, aux_hash_)) {
      return security("HANDSHAKE_BAD_NEW_NONCE_HASH", "new_nonce_hash" + std::to_string(n) + " does not match our key");
    }
    return {};
  };
  if (const auto* ok = parsed->get_if<mt::dh_gen_ok>()) {
    MTP_TRY(check(*ok, ok->new_nonce_hash1, 1));
    AuthKeyResult result;
    result.auth_key = std::move(auth_key_);
    result.auth_key_id = crypto::auth_key_id(result.auth_key);
    result.server_salt = crypto::initial_server_salt(new_nonce_, server_nonce_);
    result.server_time_offset = server_time_offset_;
    state_ = State::kDone;
    return ClientAction::done(std::move(result));
  }
  if (const auto* retry = parsed->get_if<mt::dh_gen_retry>()) {
    MTP_TRY(check(*retry, retry->new_nonce_hash2, 2));
    if (++retries_ > options_.max_retries) {
      return security("HANDSHAKE_TOO_MANY_RETRIES", "dh_gen_retry " + std::to_string(retries_) + " times");
    }
    auto request = make_set_client_dh_params(aux_hash_);  // retry_id = aux hash of the refused key
    if (!request) return std::move(request).error();
    return ClientAction::send(std::move(request).value());
  }
  const auto& fail = parsed->get<mt::dh_gen_fail>();
  MTP_TRY(check(fail, fail.new_nonce_hash3, 3));
  return security("HANDSHAKE_DH_GEN_FAIL", "the server answered dh_gen_fail");
}

}  // namespace mtp::auth
