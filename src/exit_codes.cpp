#include "exit_codes.hpp"

#include "client/client.hpp"

namespace tgget {

ExitCode exit_code_for(const mtp::Error& e) {
  if (mtp::client::is_login_required(e)) return kExitLoginRequired;
  if (e.code == 420) return kExitRateLimited;
  if (e.is_rpc()) return kExitRejected;
  switch (e.code) {
    case mtp::kErrNetwork:
    case mtp::kErrTimeout:
    case mtp::kErrTransport:
      return kExitNetwork;
    case mtp::kErrSecurity:
      return kExitSecurity;
    case mtp::kErrInvalidArgument:
      return kExitUsage;
    case mtp::kErrIo:
      return kExitLocalIo;
    case mtp::kErrCancelled:
      return kExitInterrupted;
    default:
      return kExitFailure;
  }
}

}  // namespace tgget
