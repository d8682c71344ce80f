#include "auth_keys.hpp"

namespace testdc {

bool AuthKeyStore::insert(const AuthKeyInfo& info) {
  std::lock_guard lock(mu_);
  return keys_.emplace(info.id, std::make_shared<AuthKeyInfo>(info)).second;
}

std::shared_ptr<AuthKeyInfo> AuthKeyStore::find(std::uint64_t id) const {
  std::lock_guard lock(mu_);
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : it->second;
}

bool AuthKeyStore::contains(std::uint64_t id) const {
  std::lock_guard lock(mu_);
  return keys_.count(id) != 0;
}

std::size_t AuthKeyStore::size() const {
  std::lock_guard lock(mu_);
  return keys_.size();
}

}  // namespace testdc
