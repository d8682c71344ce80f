#include "crypto/rsa.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto/bignum.hpp"
#include "crypto/sha.hpp"
#include "tl/writer.hpp"

namespace mtp::crypto {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using DecoderCtx = std::unique_ptr<OSSL_DECODER_CTX, Freer<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>>;
using EncoderCtx = std::unique_ptr<OSSL_ENCODER_CTX, Freer<OSSL_ENCODER_CTX, OSSL_ENCODER_CTX_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Freer<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;

Error rsa_error(int code, std::string detail) { return Error::local(code, "RSA", std::move(detail)); }

// Reads a PEM key of the given selection; the decoder recognises PKCS#1, SPKI and PKCS#8 on its own.
Result<PkeyPtr> decode_pem(std::string_view pem, int selection) {
  EVP_PKEY* raw = nullptr;
  DecoderCtx ctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA", selection, nullptr, nullptr));
  if (!ctx) return rsa_error(kErrInternal, "no PEM decoder for RSA");
  auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t len = pem.size();
  if (OSSL_DECODER_from_data(ctx.get(), &data, &len) != 1 || !raw) {
    return rsa_error(kErrMalformed, "not an RSA key in PEM form");
  }
  PkeyPtr key(raw);
  if (!EVP_PKEY_is_a(key.get(), "RSA")) return rsa_error(kErrMalformed, "PEM key is not RSA");
  return key;
}

Bytes get_param(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1 || !bn) return {};
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_clear_free(bn);
  return out;
}

Result<RsaPublicKey> public_part(const EVP_PKEY* key) {
  RsaPublicKey pub{get_param(key, OSSL_PKEY_PARAM_RSA_N), get_param(key, OSSL_PKEY_PARAM_RSA_E)};
  if (pub.n.empty() || pub.e.empty()) return rsa_error(kErrMalformed, "RSA key without n or e");
  return pub;
}

std::string encode_pem(const EVP_PKEY* key, int selection, const char* structure) {
  EncoderCtx ctx(OSSL_ENCODER_CTX_new_for_pkey(key, selection, "PEM", structure, nullptr));
  unsigned char* data = nullptr;
  std::size_t len = 0;
  if (!ctx || OSSL_ENCODER_to_data(ctx.get(), &data, &len) != 1) {
    throw std::runtime_error(std::string("cannot encode RSA key as ") + structure);
  }
  std::string pem(reinterpret_cast<const char*>(data), len);
  OPENSSL_clear_free(data, len);
  return pem;
}

}  // namespace

std::uint64_t RsaPublicKey::fingerprint() const {
  tl::Writer w;
  w.bytes(n);
  w.bytes(e);
  Sha1Digest digest = sha1(w.payload());
  std::uint64_t fp = 0;
  for (int i = 19; i >= 12; --i) fp = (fp << 8) | digest[static_cast<std::size_t>(i)];
  return fp;
}

Result<RsaPublicKey> parse_rsa_public_key_pem(std::string_view pem) {
  auto key = decode_pem(pem, EVP_PKEY_PUBLIC_KEY);
  if (!key) return std::move(key).error();
  return public_part(key->get());
}

Result<Bytes> rsa_encrypt_raw(const RsaPublicKey& key, ByteSpan message) {
  BigNum n = BigNum::from_be(key.n), m = BigNum::from_be(message);
  if (m >= n) return rsa_error(kErrInvalidArgument, "RSA input is not below the modulus");
  return mod_exp(m, BigNum::from_be(key.e), n).to_be_padded(key.size());
}

struct RsaPrivateKey::Key {
  PkeyPtr pkey;
};

Result<RsaPrivateKey> RsaPrivateKey::generate(int bits) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return rsa_error(kErrInternal, "RSA key generation failed");
  }
  RsaPrivateKey k;
  k.key_ = std::make_shared<Key>(Key{PkeyPtr(raw)});
  auto pub = public_part(raw);
  if (!pub) return std::move(pub).error();
  k.public_ = std::move(*pub);
  return k;
}

Result<RsaPrivateKey> RsaPrivateKey::from_pem(std::string_view pem) {
  auto decoded = decode_pem(pem, EVP_PKEY_KEYPAIR);
  if (!decoded) return std::move(decoded).error();
  if (get_param(decoded->get(), OSSL_PKEY_PARAM_RSA_D).empty()) {
    return rsa_error(kErrMalformed, "PEM holds no RSA private key");
  }
  RsaPrivateKey k;
  auto pub = public_part(decoded->get());
  if (!pub) return std::move(pub).error();
  k.public_ = std::move(*pub);
  k.key_ = std::make_shared<Key>(Key{std::move(*decoded)});
  return k;
}

std::string RsaPrivateKey::private_pem() const {
  return encode_pem(key_->pkey.get(), EVP_PKEY_KEYPAIR, "PrivateKeyInfo");
}

std::string RsaPrivateKey::public_pem(bool pkcs1) const {
  return encode_pem(key_->pkey.get(), EVP_PKEY_PUBLIC_KEY, pkcs1 ? "type-specific" : "SubjectPublicKeyInfo");
}

Result<Bytes> RsaPrivateKey::decrypt_raw(ByteSpan ciphertext) const {
  if (ciphertext.size() != public_.size()) return rsa_error(kErrSecurity, "RSA ciphertext has the wrong size");
  if (BigNum::from_be(ciphertext) >= BigNum::from_be(public_.n)) {
    return rsa_error(kErrSecurity, "RSA ciphertext is not below the modulus");
  }
  // EVP's unpadded decryption is c^d mod n, done with CRT and blinding (faster than a plain
  // BN_mod_exp with d, and constant-time).
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_->pkey.get(), nullptr));
  Bytes out(public_.size());
  std::size_t out_len = out.size();
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1 ||
      EVP_PKEY_decrypt(ctx.get(), out.data(), &out_len, ciphertext.data(), ciphertext.size()) != 1 ||
      out_len != out.size()) {
    return rsa_error(kErrSecurity, "raw RSA decryption failed");
  }
  return out;
}

}  // namespace mtp::crypto
