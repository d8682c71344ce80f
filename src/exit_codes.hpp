#pragma once
// tgget's exit codes: scripts branch on them, so they never change meaning (README lists them).
#include "core/error.hpp"

namespace tgget {

enum ExitCode : int {
  kExitOk = 0,             // everything done or already there
  kExitFailure = 1,        // some items failed for good (the rest done, each failure reported)
  kExitUsage = 2,          // bad command line or input (a malformed link), or no terminal to ask
  kExitLoginRequired = 3,  // not logged in, or the login was revoked/expired
  kExitSecurity = 6,       // a protocol security check failed (untrusted key, bad DH, tampering)
  kExitLocalIo = 8,        // disk full, unwritable directory, damaged state database
  // Run again later and it resumes: network unreachable, DC timeouts, or Telegram asked to wait
  // longer than --max-wait (EX_TEMPFAIL, what cron and systemd wrappers key on).
  kExitTemporary = 75,
  kExitInterrupted = 130,  // SIGINT, state saved
  kExitTerminated = 143,   // SIGTERM, state saved
};

ExitCode exit_code_for(const mtp::Error& error);

}  // namespace tgget
