#pragma once
// Every API method the test DC serves, one function each, grouped by file (api_help.cpp,
// api_auth.cpp, api_password.cpp, api_transfer.cpp, api_users.cpp, api_messages.cpp,
// api_upload.cpp). api_dispatch.cpp maps constructor ids to them.
#include "api_call.hpp"

namespace testdc::handlers {

// api_help.cpp
ApiReply help_getConfig(ApiCall& call);
ApiReply help_getNearestDc(ApiCall& call);
ApiReply updates_getState(ApiCall& call);

// api_auth.cpp
ApiReply auth_sendCode(ApiCall& call);
ApiReply auth_signIn(ApiCall& call);
ApiReply auth_importBotAuthorization(ApiCall& call);
ApiReply auth_logOut(ApiCall& call);

// api_password.cpp
ApiReply account_getPassword(ApiCall& call);
ApiReply auth_checkPassword(ApiCall& call);

// api_transfer.cpp
ApiReply auth_exportAuthorization(ApiCall& call);
ApiReply auth_importAuthorization(ApiCall& call);

// api_users.cpp
ApiReply users_getUsers(ApiCall& call);
ApiReply contacts_resolveUsername(ApiCall& call);

// api_messages.cpp
ApiReply channels_getChannels(ApiCall& call);
ApiReply channels_getMessages(ApiCall& call);
ApiReply messages_getMessages(ApiCall& call);
ApiReply messages_getHistory(ApiCall& call);

// api_upload.cpp
ApiReply upload_getFile(ApiCall& call);
ApiReply upload_getFileHashes(ApiCall& call);

}  // namespace testdc::handlers
