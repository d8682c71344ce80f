#include "remote_file.hpp"

namespace tgget {

namespace api = mtp::tl::api;

api::InputFileLocation RemoteFile::location() const {
  if (is_photo) return api::inputPhotoFileLocation{id, access_hash, file_reference, thumb_size};
  return api::inputDocumentFileLocation{id, access_hash, file_reference, ""};
}

std::string RemoteFile::describe() const {
  const std::string chat = peer.username.empty() ? std::to_string(peer.id) : "@" + peer.username;
  return "message " + std::to_string(message_id) + " of " + chat;
}

}  // namespace tgget
