#pragma once
// The small Telegram world a test DC serves: DCs and their ports, accounts, bots, channels (broadcast
// channels, groups, forums with topics, discussion groups with comments) with messages and
// documents. Loaded from a JSON manifest (world_manifest.cpp, README "Test DC"), built from a
// directory of files (--serve-dir) or the built-in sample (--sample-world), and grown while the
// server runs by the control port (world_edit.hpp). Pure data: no sockets here.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "auth/server_handshake.hpp"
#include "core/result.hpp"
#include "hostile_files.hpp"
#include "hostility.hpp"

namespace testdc {

struct DcSpec {
  int id = 0;
  int port = 0;                     // 0: ephemeral
  std::optional<int> media_port;    // a media-only address for this DC, when set (0: ephemeral)
};

struct Account {
  std::int64_t user_id = 0;
  std::string phone;                // digits only, as clients send it
  std::string code;                 // the login code auth.signIn accepts
  std::optional<std::string> password;  // 2FA password (SRP) when set
  int home_dc = 2;
  bool premium = false;
  std::string first_name;
  std::string last_name;
  std::string username;
  std::optional<std::string> bot_token;  // set for bot accounts (auth.importBotAuthorization)
  std::int64_t access_hash = 0;
};

struct VideoInfo {
  double duration = 0;
  int width = 0;
  int height = 0;
  bool supports_streaming = true;
};

struct Document {
  std::int64_t id = 0;
  std::int64_t access_hash = 0;
  std::filesystem::path path;       // file on disk served by upload.getFile; empty when generated
  std::optional<std::uint64_t> generated_seed;  // bytes made on the fly (generated_bytes), not stored
  std::int64_t size = 0;
  int dc = 2;
  std::string mime_type = "application/octet-stream";
  std::optional<std::string> file_name;  // nullopt: no documentAttributeFilename at all
  std::optional<VideoInfo> video;
  std::int64_t date = 0;
};

// Bytes [offset, offset + out.size()) of a generated document: block b (8 bytes, little-endian) is
// splitmix64(splitmix64(seed) + b), so any range is computed without the ones before it and a test
// in another language can compute the same file (tests/interop/testdc_world.py).
void generated_bytes(std::uint64_t seed, std::int64_t offset, std::span<std::uint8_t> out);

// messageReplyHeader: what a message answers, and the thread (forum topic or comment thread) it is in.
struct ReplyTo {
  int msg_id = 0;          // reply_to_msg_id
  int top_id = 0;          // reply_to_top_id: the thread's root, when msg_id is not the root itself
  bool forum_topic = false;
};

// The auto-forwarded copy of a broadcast post in its discussion group (messageFwdHeader).
struct ForwardedPost {
  std::int64_t channel_id = 0;
  int post_id = 0;
  std::int64_t date = 0;
};

struct Message {
  int id = 0;
  std::string text;
  std::optional<Document> document;
  std::optional<std::int64_t> grouped_id;  // albums
  std::int64_t date = 0;
  std::int64_t from_user = 0;              // the sender in groups; 0: the channel itself
  std::optional<ReplyTo> reply_to;
  int thread = 0;                          // root of the thread it is in (topic id, discussion copy); 0: none
  std::optional<std::string> topic_title;  // a forum topic's creation (messageService, messageActionTopicCreate)
  int topic_icon_color = 0;
  std::optional<ForwardedPost> forwarded;  // discussion copy of a post of the linked channel
  int discussion_copy = 0;                 // broadcast post: its copy's id in the linked group; 0: none
};

struct Channel {
  std::int64_t id = 0;
  std::int64_t access_hash = 0;
  std::string title;
  std::optional<std::string> username;  // public channels only
  bool megagroup = false;               // a supergroup (false: a broadcast channel)
  bool forum = false;                   // a forum (megagroup with topics: General is topic 1)
  std::int64_t linked_chat = 0;         // broadcast: its discussion group; group: the channel it discusses
  std::vector<std::string> member_phones;  // whose dialogs list it, and who may read it when private
  std::vector<Message> messages;           // ordered by id
  const Message* find_message(int id) const;
  Message* find_message(int id);
  int next_message_id() const { return messages.empty() ? 1 : messages.back().id + 1; }
  // The messages of a thread (forum topic id, or a discussion copy's id), oldest first: a topic
  // includes its creation message, a comment thread does not include its root (as Telegram's
  // messages.getReplies). Topic 1 of a forum is General: the messages in no other topic.
  std::vector<const Message*> thread_messages(int root) const;
  bool is_topic(int id) const;
};

// A byte range of a file: [offset, offset + length).
struct ByteRange {
  std::int64_t offset = 0;
  std::int64_t length = 0;
  std::int64_t end() const { return offset + length; }
  bool operator==(const ByteRange&) const = default;
};

// "OFFSET:LENGTH" (decimal, OFFSET >= 0, LENGTH >= 1), as --corrupt-range and the manifest write it.
mtp::Result<ByteRange> parse_byte_range(const std::string& text);

// Real-world conditions, all off by default. Deterministic given `seed`.
struct Conditions {
  std::uint64_t seed = 1;
  std::int64_t bandwidth_per_connection = 0;  // bytes/s of upload.file payload, 0 = unlimited
  std::int64_t bandwidth_per_account = 0;     // bytes/s summed over an account's connections
  int latency_ms = 0;                         // added before each response
  int flood_requests_per_second = 0;          // per auth key; past it FLOOD_WAIT_X
  int flood_wait_seconds = 1;                 // the X in FLOOD_WAIT_X
  int premium_parallel_limit = 0;             // non-premium accounts: concurrent getFile over this → FLOOD_PREMIUM_WAIT_X
  std::int64_t reset_every_bytes = 0;         // close a connection after this many bytes sent
  std::int64_t stall_after_bytes = 0;         // a connection goes silent (socket open) after this many bytes sent
  int stall_connections = 0;                  // only the first K connections to reach it stall; 0 = every one
  std::optional<ByteRange> corrupt_range;     // upload.getFile answers overlapping it carry inverted bytes
  std::optional<ByteRange> corrupt_hashes;    // upload.getFileHashes lies for windows overlapping it
  int corrupt_times = 1;                      // answers corrupted per document and kind; 0 = every one
  std::int64_t premium_rate_limit = 0;        // non-premium accounts: getFile bytes/s over the window → FLOOD_PREMIUM_WAIT_X
  int premium_rate_window_ms = 1000;          // the sliding window of premium_rate_limit
  int premium_wait_seconds = 3;               // the X of the rate limit's FLOOD_PREMIUM_WAIT_X
  double rpc_error_500_rate = 0;              // fraction of calls answered with 500 INTERNAL
  bool out_of_order = false;                  // answer queued requests in shuffled order
  int file_reference_lifetime_s = 3600;       // FILE_REFERENCE_EXPIRED after this
  int clock_offset_s = 0;                     // the server's clock runs this far ahead (negative: behind)
  bool force_bad_salt = false;                // a session's first content message gets bad_server_salt (48) once
  mtp::auth::HandshakeFault handshake_fault = mtp::auth::HandshakeFault::kNone;  // the handshake lies this way
  bool strict = false;                        // refuse the deviations Telegram tolerates (seq_no parity)
  // File-level hostility (hostile_files.hpp): getFile answers of the wrong length, bytes that
  // change between requests, documents that change when their message is fetched again.
  std::set<HostileFile> hostile_files;
  // Protocol-level hostility (--hostile NAME, conditions.hostile): hostility.hpp, hostile.hpp.
  Hostilities hostile;
};

struct World {
  std::vector<DcSpec> dcs;
  int home_dc = 2;                  // the DC clients are told to start with
  std::vector<Account> accounts;
  std::vector<Channel> channels;
  Conditions conditions;
  std::int32_t api_id = 17349;      // what --write-env advertises; any api_id is accepted
  std::string api_hash = "tgget-testdc";

  const Account* find_account_by_phone(const std::string& phone) const;
  const Account* find_account_by_id(std::int64_t user_id) const;
  const Account* find_bot(const std::string& token) const;
  const Channel* find_channel_by_username(const std::string& username) const;  // case-insensitive
  const Channel* find_channel_by_id(std::int64_t id) const;
  Channel* find_channel_by_id(std::int64_t id);
  const Document* find_document(std::int64_t id) const;
  bool has_dc(int id) const;
};

// Telegram's username rule: 5..32 characters of [A-Za-z0-9_], starting with a letter.
bool is_valid_username(const std::string& username);

// Parses a manifest. Relative file paths are resolved against base_dir. Fills ids, access hashes,
// sizes and dates deterministically, and validates references (DCs, usernames, files).
mtp::Result<World> load_manifest(const std::string& json_text, const std::filesystem::path& base_dir);
mtp::Result<World> load_manifest_file(const std::filesystem::path& path);

// --sample-world: the demo's channel @tgdemo (world_sample.cpp; every document generated from the
// seed, nothing stored): see sample_world_description().
mtp::Result<World> sample_world(std::uint64_t seed);
const char* sample_world_description();

// --serve-dir: every regular file of dir (name order) becomes message 1..n of public channel
// "tgdemo", stored on DC 2, with one default account and DCs 1, 2 and 4 (DC 2 with a media address).
mtp::Result<World> world_from_directory(const std::filesystem::path& dir);

}  // namespace testdc
