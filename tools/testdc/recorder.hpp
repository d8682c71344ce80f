#pragma once
// TESTDC_RECORD=DIR: the test DC writes what it sends and receives to DIR, one file per message,
// as the raw material of the fuzzers' seed corpora (tests/fuzz/record/make_corpus.py). Files are
// named SEQ-GROUP-KIND.bin, SEQ counting up across the process, GROUP a connection or session id:
//   pin / pout   plain (handshake) message bodies received / sent
//   cin / sout   decrypted client plaintexts / server plaintexts before encryption (salt,
//                session_id, msg_id, seq_no, length, body)
//   win / wout   encrypted packets as received / sent (transport payloads)
// Only the first messages of each kind and at most 64 KiB of each are kept: seeds must stay small.
// Unset (always, outside corpus recording), nothing is written and nothing else changes.
#include <cstdint>
#include <string_view>

#include "core/bytes.hpp"

namespace testdc {

void record(std::string_view kind, std::uint64_t group, mtp::ByteSpan bytes);

}  // namespace testdc
