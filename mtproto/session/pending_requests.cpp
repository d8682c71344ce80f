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
  if (r->msg_id != 0) by_msg_id_.erase(r->msg_id);
  r->msg_id = msg_id;
  r->container_id = container_id;
  r->acked = false;
  ++r->sends;
  by_msg_id_[msg_id] = id;
  queue_.erase(id);
}

void PendingRequests::requeue(RequestId id) {
  PendingRequest* r = find(id);
  if (r == nullptr || r->msg_id == 0) return;
  // The old msg_id is forgotten: a late answer to it is ignored rather than delivered twice.
  by_msg_id_.erase(r->msg_id);
  r->msg_id = 0;
  r->container_id = 0;
  queue_.insert(id);
}

void PendingRequests::requeue_all_sent() {
  for (auto& [id, r] : requests_)
    if (r.msg_id != 0) {
      r.msg_id = 0;
      r.container_id = 0;
      queue_.insert(id);
    }
  by_msg_id_.clear();
}

std::optional<PendingRequest> PendingRequests::remove(RequestId id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return std::nullopt;
  PendingRequest r = std::move(it->second);
  requests_.erase(it);
  if (r.msg_id != 0) by_msg_id_.erase(r.msg_id);
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
