#pragma once
// A file as Telegram serves it, with where it was found: the (peer, message) it came from is how
// an expired file reference is renewed, and the document id is what makes a job the same job.
#include <cstdint>
#include <string>

#include "core/bytes.hpp"
#include "tl/api.hpp"

namespace tgget {

enum class PeerKind : std::uint8_t { kChannel, kUser, kChat };

struct PeerRef {
  PeerKind kind = PeerKind::kChannel;
  std::int64_t id = 0;
  std::int64_t access_hash = 0;
  std::string username;  // as resolved, for messages and file names
  std::string title;
};

struct RemoteFile {
  PeerRef peer;
  std::int32_t message_id = 0;
  std::int32_t date = 0;            // the message's date (the file's mtime when done)

  bool is_photo = false;
  std::int64_t id = 0;              // document or photo id
  std::int64_t access_hash = 0;
  mtp::Bytes file_reference;
  std::string thumb_size;           // photos: the size type downloaded ("y", "w"...)
  int dc = 0;
  std::int64_t size = 0;
  std::string file_name;            // as Telegram has it (untrusted: sanitised before use)
  std::string mime_type;
  // What the message shows it as: video, audio, voice, round, animation, sticker, photo, document
  // (the --type filter's words).
  std::string media_kind;
  std::int64_t grouped_id = 0;      // the album it belongs to (0: none)
  std::int32_t topic_id = 0;        // the forum topic (0: none)
  std::string caption;              // the message's text (untrusted)

  mtp::tl::api::InputFileLocation location() const;
  // "message 42 of @chan", for messages to the user.
  std::string describe() const;
};

}  // namespace tgget
