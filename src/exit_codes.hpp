#pragma once
// tgget's exit codes: scripts branch on them, so they never change meaning (README lists them).
#include "core/error.hpp"

namespace tgget {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // anything not below
  kExitUsage = 2,          // bad command line, or a value needed and no terminal to ask
  kExitLoginRequired = 3,  // not logged in, or the login was revoked/expired
  kExitNetwork = 4,        // cannot reach the server (connect, proxy, timeout)
  kExitRejected = 5,       // Telegram refused the request (wrong code, unknown channel, ...)
  kExitSecurity = 6,       // a protocol security check failed (untrusted key, bad DH, tampering)
  kExitRateLimited = 7,    // FLOOD_WAIT longer than we wait by ourselves
  kExitLocalIo = 8,        // disk full, unwritable state directory, damaged database
  kExitInterrupted = 130,  // SIGINT / SIGTERM
};

ExitCode exit_code_for(const mtp::Error& error);

}  // namespace tgget
