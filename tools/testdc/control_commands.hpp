#pragma once
// The control port's commands (--control-port; README "Test DC"): one line in, one line out, so a
// test script can change the world while the server runs and know when the change is visible.
//
//   post CHAT [text=T] [size=N] [seed=S] [name=F] [mime=M] [dc=K] [grouped_id=G] [reply_to=ID]
//        [topic=ID] [from=PHONE]
//     -> ok id=ID date=D [document_id=X access_hash=H] [copy=ID]
//   ping -> ok
//   anything else -> error WHAT
//
// CHAT is @username, username, or the chat's numeric id. Values are percent-decoded (%20 is a
// space, %00 a NUL), so any text or file name fits in one line. size=N attaches a document of N
// bytes generated from seed S (default 1: generated_bytes), on DC K (default 2), named F (no
// name attribute without name=). A post in a channel with a discussion group gets its copy there
// (copy=). The answer is sent once the message is in the world: the next call of any client sees it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "world.hpp"

namespace testdc {

// Runs one command line (without its newline) on the world; `now_s` dates new messages (never
// before the chat's newest). Returns the answer line without its newline.
std::string run_control_command(World& world, std::string_view line, std::int64_t now_s);

// %XX escapes decoded; an invalid escape is an error (nullopt).
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace testdc
