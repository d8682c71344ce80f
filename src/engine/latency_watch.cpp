#include "latency_watch.hpp"

#include <algorithm>
#include <cmath>

namespace tgget::engine {

void LatencyWatch::answered(Duration elapsed) {
  const double r = static_cast<double>(elapsed.count());
  if (samples_++ == 0) {
    srtt_ns_ = r;
    rttvar_ns_ = r / 2;
    return;
  }
  rttvar_ns_ = 0.75 * rttvar_ns_ + 0.25 * std::abs(srtt_ns_ - r);
  srtt_ns_ = 0.875 * srtt_ns_ + 0.125 * r;
}

LatencyWatch::Duration LatencyWatch::bound() const {
  if (samples_ == 0) return cap_ / 2;  // nothing measured yet: be patient, the first answers are slowest
  // Twice RFC 6298's retransmission timeout: answers share a connection with others queued before
  // them, so a slow one is usually just late, and a re-sent 1 MiB part costs bandwidth.
  const auto rto = Duration(static_cast<Duration::rep>(2 * (srtt_ns_ + 4 * rttvar_ns_)));
  return std::clamp(rto, floor_, cap_);
}

}  // namespace tgget::engine
