#pragma once
// tgget's exit codes: scripts branch on them, so they never change meaning (README lists them).
#include "core/error.hpp"

namespace tgget {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // anything not below
  kExitUsage = 2,          // bad command line, or a value needed and no terminal to ask
  kExitLoginRequired = 3,  // not logged in, or the login was revoked/expired
  kExitRejected = 5,       // Telegram refused the request (wrong code, unknown channel, ...)
  kExitSecurity = 6,       // a protocol security check failed (untrusted key, bad DH, tampering)
  kExitLocalIo = 8,        // disk full, unwritable state directory, damaged database
  // Temporary (EX_TEMPFAIL): run again later and it resumes. Cron and systemd wrappers key on it.
  kExitTempFail = 75,
  kExitNetwork = kExitTempFail,      // cannot reach the server (connect, proxy, timeout)
  kExitRateLimited = kExitTempFail,  // FLOOD_WAIT longer than we wait by ourselves
  kExitInterrupted = 130,  // SIGINT / SIGTERM
};

ExitCode exit_code_for(const mtp::Error& error);

}  // namespace tgget
