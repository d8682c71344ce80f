#include "server_state.hpp"

#include "api_state.hpp"  // complete ApiState for make_api_state's unique_ptr

#include <algorithm>

namespace testdc {

ServerState::ServerState(World world)
    : world_(std::move(world)), api_(make_api_state(world_).release(), &destroy_api_state) {}

ServerState::~ServerState() = default;

void ServerState::set_addresses(std::vector<DcAddress> addresses) {
  std::stable_sort(addresses.begin(), addresses.end(), [](const DcAddress& a, const DcAddress& b) {
    return a.dc != b.dc ? a.dc < b.dc : a.media_only < b.media_only;
  });
  std::lock_guard lock(mu_);
  addresses_ = std::move(addresses);
}

std::vector<DcAddress> ServerState::addresses() const {
  std::lock_guard lock(mu_);
  return addresses_;
}

}  // namespace testdc
