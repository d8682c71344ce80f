#pragma once
// Everything the test DC shares across DCs, connections and sessions: the world it serves, the
// auth keys, the RPC log, the addresses it listens on, and the API handlers' own state.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth_keys.hpp"
#include "rpc_log.hpp"
#include "world.hpp"

namespace testdc {

// Mutable state of the API handlers (login codes, exported authorizations, SRP sessions,
// download rate tracking...). Defined next to the handlers (api_state.hpp).
class ApiState;
std::unique_ptr<ApiState> make_api_state(const World& world);
void destroy_api_state(ApiState* state);

struct DcAddress {
  int dc = 0;
  std::string host;
  int port = 0;
  bool media_only = false;
};

class ServerState {
 public:
  explicit ServerState(World world);
  ~ServerState();
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  const World& world() const { return world_; }
  // For the control port only (control_port.hpp): it runs on the io_context thread that runs every
  // handler, and handlers keep no pointer into the world across a co_await.
  World& edit_world() { return world_; }
  RpcLog& log() { return log_; }
  AuthKeyStore& keys() { return keys_; }
  ApiState& api() { return *api_; }

  // Filled by the listeners once bound (ephemeral ports are known only then); help.getConfig
  // lists them. Each DC's main address comes before its media-only one: some clients (Telethon)
  // take the first entry with the right id.
  void set_addresses(std::vector<DcAddress> addresses);
  std::vector<DcAddress> addresses() const;

 private:
  World world_;
  RpcLog log_;
  AuthKeyStore keys_;
  std::unique_ptr<ApiState, void (*)(ApiState*)> api_;
  mutable std::mutex mu_;
  std::vector<DcAddress> addresses_;
};

}  // namespace testdc
