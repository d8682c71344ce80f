#include "exit_codes.hpp"

#include "client/client.hpp"

namespace tgget {

ExitCode exit_code_for(const mtp::Error& e) {
  if (mtp::client::is_login_required(e)) return kExitLoginRequired;
  if (e.code == 420) return kExitTemporary;  // a wait longer than we sit through ourselves
  // The file was replaced on the server mid-download: run again, it starts the new one over.
  if (e.is("FILE_CHANGED")) return kExitTemporary;
  // Telegram refused what we asked (a wrong code, an unknown or private chat): bad input.
  if (e.is_rpc()) return e.code >= 500 ? kExitTemporary : kExitUsage;
  switch (e.code) {
    case mtp::kErrNetwork:
    case mtp::kErrTimeout:
    case mtp::kErrTransport:
      return kExitTemporary;
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
