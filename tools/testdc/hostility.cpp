#include "hostility.hpp"

#include <array>

namespace testdc {

namespace {
constexpr std::array kAll{Hostility::kBadNonce,    Hostility::kMsgKeyMismatch,  Hostility::kReplayedMsgId,
                          Hostility::kMsgIdPast,   Hostility::kMsgIdFuture,     Hostility::kNestedContainer,
                          Hostility::kLyingBytes,  Hostility::kHugeVector,      Hostility::kGzipBomb};
}  // namespace

std::string_view hostility_name(Hostility h) {
  switch (h) {
    case Hostility::kBadNonce: return "bad-nonce";
    case Hostility::kMsgKeyMismatch: return "msg-key-mismatch";
    case Hostility::kReplayedMsgId: return "replayed-msg-id";
    case Hostility::kMsgIdPast: return "msg-id-past";
    case Hostility::kMsgIdFuture: return "msg-id-future";
    case Hostility::kNestedContainer: return "nested-container";
    case Hostility::kLyingBytes: return "lying-bytes";
    case Hostility::kHugeVector: return "huge-vector";
    case Hostility::kGzipBomb: return "gzip-bomb";
  }
  return "?";
}

std::optional<Hostility> hostility_from_name(std::string_view name) {
  for (Hostility h : kAll) {
    if (hostility_name(h) == name) return h;
  }
  return std::nullopt;
}

std::span<const Hostility> all_hostilities() { return kAll; }

std::string hostility_names() {
  std::string out;
  for (Hostility h : kAll) {
    if (!out.empty()) out += ", ";
    out += hostility_name(h);
  }
  return out;
}

}  // namespace testdc
