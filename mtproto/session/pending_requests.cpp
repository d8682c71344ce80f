#include "session/pending_requests.hpp"

namespace mtp::session {

RequestId PendingRequests::add(Bytes body, PendingRequest::Kind kind) {
  const RequestId id = next_id_++;
  PendingRequest& r = requests_[id];
  r.id = id;
  r.kind = kind;
  r.body = std::move(body);
  queue_.insert(id);
  return id;
}

PendingRequest* PendingRequests::find(RequestId id) {
  auto it = requests_.find(id);
  return it == requests_.end() ? nullptr : &it->second;
}

const PendingRequest* PendingRequests::find(RequestId id) const {
  auto it = requests_.find(id);
  return it == requests_.end() ? nullptr : &it->second;
}

PendingRequest* PendingRequests::by_msg_id(std::int64_t msg_id) {
  auto it = by_msg_id_.find(msg_id);
  return it == by_msg_id_.end() ? nullptr : find(it->second);
}

std::vector<RequestId> PendingRequests::sent_as(std::int64_t msg_id) const {
  std::vector<RequestId> out;
  for (const auto& [id, r] : requests_)
    if (r.msg_id != 0 && (r.msg_id == msg_id || r.container_id == msg_id)) out.push_back(id);
  return out;
}

std::vector<RequestId> PendingRequests::sent_before(std::int64_t msg_id) const {
  std::vector<RequestId> out;
  for (const auto& [id, r] : requests_)
    if (r.msg_id != 0 && r.msg_id < msg_id) out.push_back(id);
  return out;
}

void PendingRequests::mark_sent(RequestId id, std::int64_t msg_id, std::int64_t container_id) {
  PendingRequest* r = find(id);
  if (r == nullptr) return;
  r->msg_id = msg_id;
  r->container_id = container_id;
  r->acked = false;
  ++r->sends;
  by_msg_id_[msg_id] = id;
  queue_.erase(id);
}

namespace {
constexpr std::size_t kMaxOldIds = 8;

void retire_msg_id(PendingRequest& r, std::unordered_map<std::int64_t, RequestId>& by_msg_id) {
  if (r.old_msg_ids.size() < kMaxOldIds) r.old_msg_ids.push_back(r.msg_id);
  else by_msg_id.erase(r.msg_id);
  r.msg_id = 0;
  r.container_id = 0;
}
}  // namespace

void PendingRequests::requeue(RequestId id) {
  PendingRequest* r = find(id);
  if (r == nullptr || r->msg_id == 0) return;
  retire_msg_id(*r, by_msg_id_);
  queue_.insert(id);
}

void PendingRequests::requeue_unacknowledged() {
  for (auto& [id, r] : requests_)
    if (r.msg_id != 0 && !r.acked) {
      retire_msg_id(r, by_msg_id_);
      queue_.insert(id);
    }
}

std::optional<PendingRequest> PendingRequests::remove(RequestId id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return std::nullopt;
  PendingRequest r = std::move(it->second);
  requests_.erase(it);
  if (r.msg_id != 0) by_msg_id_.erase(r.msg_id);
  for (std::int64_t old : r.old_msg_ids) by_msg_id_.erase(old);
  queue_.erase(id);
  return r;
}

bool PendingRequests::has_kind(PendingRequest::Kind kind) const {
  for (const auto& [id, r] : requests_)
    if (r.kind == kind) return true;
  return false;
}

void PendingRequests::remove_kind(PendingRequest::Kind kind) {
  std::vector<RequestId> doomed;
  for (const auto& [id, r] : requests_)
    if (r.kind == kind) doomed.push_back(id);
  for (RequestId id : doomed) remove(id);
}

}  // namespace mtp::session
