#pragma once
// seq_no: twice the number of content-related messages sent before, plus one for a content-related
// message. Acks, containers and other service messages are not content-related.
#include <cstdint>

namespace mtp::session {

class SeqNoCounter {
 public:
  std::int32_t next(bool content_related) {
    std::int32_t seq = content_sent_ * 2 + (content_related ? 1 : 0);
    if (content_related) ++content_sent_;
    return seq;
  }
  std::int32_t content_messages_sent() const { return content_sent_; }

 private:
  std::int32_t content_sent_ = 0;
};

}  // namespace mtp::session
