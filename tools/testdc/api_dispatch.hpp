#pragma once
// The synchronous core of handle_api_call (api_call.hpp): every handler answers without waiting,
// so a caller that is not a coroutine (tests, tools) can use this directly.
#include "api_call.hpp"

namespace testdc {

ApiReply dispatch_api_call(ApiCall& call);

}  // namespace testdc
