#pragma once
// Every API method the test DC serves, one function each, grouped by file (api_help.cpp,
// api_auth.cpp, api_password.cpp, api_transfer.cpp, api_users.cpp, api_messages.cpp,
// api_threads.cpp, api_dialogs.cpp, api_upload.cpp). api_dispatch.cpp maps constructor ids to them.
#include <vector>

#include "api_call.hpp"
#include "world.hpp"

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
// The messages.channelMessages answer of a page of `chat` (count: the whole chat's or thread's),
// with the chats and users its messages name.
ApiReply channel_messages(ApiCall& call, const Channel& chat, const Account& viewer,
                          const std::vector<const Message*>& page, int count);
ApiReply channels_getChannels(ApiCall& call);
ApiReply channels_getMessages(ApiCall& call);
ApiReply messages_getMessages(ApiCall& call);
ApiReply messages_getHistory(ApiCall& call);

// api_threads.cpp
ApiReply messages_getReplies(ApiCall& call);
ApiReply messages_getDiscussionMessage(ApiCall& call);
ApiReply messages_getForumTopics(ApiCall& call);
ApiReply messages_getForumTopicsByID(ApiCall& call);

// api_dialogs.cpp
ApiReply messages_getDialogs(ApiCall& call);
ApiReply channels_getFullChannel(ApiCall& call);

// api_upload.cpp
ApiReply upload_getFile(ApiCall& call);
ApiReply upload_getFileHashes(ApiCall& call);

}  // namespace testdc::handlers
