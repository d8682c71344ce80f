#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "crypto/sha.hpp"

namespace mtp::crypto {

void random_bytes(MutableByteSpan out) {
  // RAND_bytes takes an int length; chunk so huge spans cannot overflow it.
  std::size_t done = 0;
  while (done < out.size()) {
    std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX / 2);
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      // Continuing with predictable "random" bytes would silently break every key we make.
      std::fputs("tgget: OpenSSL RAND_bytes failed, aborting\n", stderr);
      std::abort();
    }
    done += chunk;
  }
}

RandomSource system_random() { return [](MutableByteSpan out) { random_bytes(out); }; }

RandomSource seeded_random(std::uint64_t seed) {
  struct State {
    std::uint8_t seed[8];
    std::uint64_t counter = 0;
    Sha256Digest block{};
    std::size_t used = sizeof(block);
  };
  auto state = std::make_shared<State>();
  for (int i = 0; i < 8; ++i) state->seed[i] = static_cast<std::uint8_t>(seed >> (8 * i));
  return [state](MutableByteSpan out) {
    for (std::uint8_t& byte : out) {
      if (state->used == state->block.size()) {
        std::uint8_t ctr[8];
        for (int i = 0; i < 8; ++i) ctr[i] = static_cast<std::uint8_t>(state->counter >> (8 * i));
        ++state->counter;
        state->block = sha256({ByteSpan(state->seed, 8), ByteSpan(ctr, 8)});
        state->used = 0;
      }
      byte = state->block[state->used++];
    }
  };
}

}  // namespace mtp::crypto
