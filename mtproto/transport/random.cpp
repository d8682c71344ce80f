#include "transport/random.hpp"

#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

namespace mtp::transport {

RandomFill system_random() {
  return [](MutableByteSpan out) {
    std::size_t done = 0;
    while (done < out.size()) {
      int chunk = static_cast<int>(std::min<std::size_t>(out.size() - done, INT_MAX));
      // A failing CSPRNG must not silently produce predictable keys.
      if (RAND_bytes(out.data() + done, chunk) != 1) throw std::runtime_error("RAND_bytes failed");
      done += static_cast<std::size_t>(chunk);
    }
  };
}

}  // namespace mtp::transport
