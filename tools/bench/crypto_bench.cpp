// crypto_bench: throughput of the crypto hot paths on 1 MiB messages, next to this machine's
// `openssl speed -evp aes-256-cbc` encryption (one chained AES stream, the natural ceiling for
// IGE, which is chained too). Not a test: numbers depend on the machine and on its load.
//
// Usage: crypto_bench [--seconds S] [--no-openssl]
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include <time.h>

#include "crypto/aes_ige.hpp"
#include "crypto/aes_ni.hpp"
#include "crypto/aes_ni_sha.hpp"
#include "crypto/message_cipher.hpp"
#include "crypto/sha.hpp"

using namespace mtp;

namespace {

constexpr std::size_t kMessage = 1 << 20;

// CPU time of this thread: like `openssl speed` (which divides by user CPU time unless given
// -elapsed), so a machine shared with other jobs slows the wall clock but not the figures.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs fn repeatedly for about `seconds` of CPU time, in several trials, and returns the best
// trial's MB/s (1 MB = 10^6 bytes, the unit `openssl speed` reports in).
double measure(double seconds, std::size_t bytes_per_call, const std::function<void()>& fn) {
  fn();  // warm-up: page faults, lazy EVP fetches
  constexpr int kTrials = 5;
  double best = 0;
  for (int t = 0; t < kTrials; ++t) {
    const double start = thread_cpu_seconds();
    std::size_t calls = 0;
    double now = start;
    do {
      fn();
      ++calls;
      now = thread_cpu_seconds();
    } while (now - start < seconds / kTrials);
    best = std::max(best, static_cast<double>(calls * bytes_per_call) / (now - start) / 1e6);
  }
  return best;
}

void report(const char* what, double mbps) { std::printf("  %-56s %9.1f MB/s\n", what, mbps); }

// Same-process AES-256-CBC encryption through EVP: the comparison under identical conditions.
double evp_cbc_encrypt(double seconds, Bytes& buf, const Int256& key, const Int256& iv) {
  EVP_CIPHER* cbc = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const double mbps = measure(seconds, buf.size(), [&] {
    int len = 0;
    EVP_EncryptInit_ex2(ctx, cbc, key.data(), iv.data(), nullptr);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EVP_EncryptUpdate(ctx, buf.data(), &len, buf.data(), static_cast<int>(buf.size()));
  });
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(cbc);
  return mbps;
}

// Runs `openssl speed` on 1 MiB blocks and returns its AES-256-CBC encryption MB/s. Its output
// ends with a line like "AES-256-CBC  1234567.89k" (thousands of bytes per second).
std::optional<double> openssl_speed_cbc(int seconds) {
  const std::string cmd = "openssl speed -evp aes-256-cbc -bytes 1048576 -seconds " + std::to_string(seconds) +
                          " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::optional<double> result;
  char line[512];
  while (std::fgets(line, sizeof line, pipe)) {
    std::string s(line);
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind("aes-256-cbc", 0) != 0) continue;
    const std::size_t k = s.rfind('k');
    const std::size_t start = s.find_last_of(" \t", k);
    if (k == std::string::npos || start == std::string::npos) continue;
    result = std::strtod(s.c_str() + start + 1, nullptr) * 1000.0 / 1e6;
  }
  pclose(pipe);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;
  bool run_openssl = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--no-openssl") == 0) {
      run_openssl = false;
    } else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--no-openssl]\n", argv[0]);
      return 2;
    }
  }

  std::mt19937_64 rng(42);
  auto fill = [&](MutableByteSpan s) { for (auto& b : s) b = static_cast<std::uint8_t>(rng()); };
  Int256 key, iv;
  fill(key);
  fill(iv);
  Bytes buf(kMessage);
  fill(buf);

  std::printf("crypto_bench: 1 MiB messages, best of 5 trials, ~%.1f CPU s per line, MB/s per CPU second; AES-NI %s\n", seconds,
              crypto::aes_ni::available() ? "available" : "NOT available (EVP fallback paths)");

  const double ige_dec = measure(seconds, kMessage, [&] { crypto::aes_ige_decrypt(key, iv, buf, buf); });
  report("AES-256-IGE decrypt (aes_ige_decrypt)", ige_dec);
  report("AES-256-IGE encrypt (aes_ige_encrypt)",
         measure(seconds, kMessage, [&] { crypto::aes_ige_encrypt(key, iv, buf, buf); }));
  report("AES-256-IGE encrypt, CBC-mapped EVP path",
         measure(seconds, kMessage, [&] { crypto::aes_ige_encrypt_cbc_mapped(key, iv, buf, buf); }));
  {
    // The per-block reference is slow: time it on 64 KiB to keep the run short.
    MutableByteSpan part = MutableByteSpan(buf).first(64 * 1024);
    report("AES-256-IGE decrypt, per-block EVP reference (64 KiB)",
           measure(seconds / 2, part.size(), [&] { crypto::aes_ige_decrypt_reference(key, iv, part, part); }));
  }
  report("SHA-256 (EVP)", measure(seconds, kMessage, [&] { (void)crypto::sha256(buf); }));
  if (crypto::aes_ni::sha_available()) {
    report("SHA-256 (own SHA-NI code)", measure(seconds, kMessage, [&] { (void)crypto::aes_ni::sha256(buf); }));
    const Bytes prefix(32, 7);
    report("AES-256-IGE decrypt fused with SHA-256 (msg_key)", measure(seconds, kMessage, [&] {
             (void)crypto::aes_ni::ige_decrypt_sha256(key, iv, prefix, buf, buf);
           }));
  }

  // Full MTProto 2.0 receive path: auth_key_id check, KDF, IGE decrypt, msg_key recomputation, length
  // checks. decrypt_in_place consumes its input, so each call first restores the ciphertext (one
  // 1 MiB memcpy, included in the figure).
  {
    std::array<std::uint8_t, 256> auth_key;
    fill(auth_key);
    crypto::MessageCipher server(auth_key, crypto::MessageCipher::Role::kServer);
    crypto::MessageCipher client(auth_key, crypto::MessageCipher::Role::kClient);
    Bytes plain(kMessage - 64);  // a 1 MiB packet: header + body + padding
    fill(plain);
    const std::uint32_t body_len = static_cast<std::uint32_t>(plain.size() - 32);
    std::memcpy(plain.data() + 28, &body_len, 4);
    Bytes sealed(crypto::encrypted_message_size(plain.size()));
    auto enc = server.encrypt(plain, sealed);
    if (!enc) {
      std::fprintf(stderr, "encrypt failed: %s\n", enc.error().to_string().c_str());
      return 1;
    }
    Bytes work(sealed.size());
    bool all_ok = true;
    report("MTProto message decrypt (KDF + IGE + msg_key check)", measure(seconds, sealed.size(), [&] {
             std::memcpy(work.data(), sealed.data(), sealed.size());
             all_ok = all_ok && client.decrypt_in_place(work).ok();
           }));
    if (!all_ok) {
      std::fprintf(stderr, "message decrypt failed during the benchmark\n");
      return 1;
    }
    client.use_portable_decrypt(true);
    report("MTProto message decrypt, portable path (EVP SHA-256)", measure(seconds, sealed.size(), [&] {
             std::memcpy(work.data(), sealed.data(), sealed.size());
             all_ok = all_ok && client.decrypt_in_place(work).ok();
           }));
    if (!all_ok) {
      std::fprintf(stderr, "message decrypt failed during the benchmark\n");
      return 1;
    }
    report("MTProto message encrypt (padding + msg_key + KDF + IGE)", measure(seconds, sealed.size(), [&] {
             (void)server.encrypt_in_place(work, plain.size());
           }));
  }

  const double evp_cbc = evp_cbc_encrypt(seconds, buf, key, iv);
  report("AES-256-CBC encrypt, EVP in this process", evp_cbc);
  std::printf("  ratio IGE decrypt / in-process CBC encrypt: %.1f%%\n", 100.0 * ige_dec / evp_cbc);

  if (run_openssl) {
    const int s = std::max(1, static_cast<int>(seconds + 0.5));
    if (auto cbc = openssl_speed_cbc(s)) {
      report("AES-256-CBC encrypt, `openssl speed -evp aes-256-cbc`", *cbc);
      std::printf("  ratio IGE decrypt / openssl speed CBC encrypt: %.1f%% (target >= 90%%)\n", 100.0 * ige_dec / *cbc);
    } else {
      std::printf("  `openssl speed` not available or its output not understood\n");
    }
  }
  return 0;
}
