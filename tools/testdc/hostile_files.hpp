#pragma once
// Hostility at the file level (conditions.hostile_file, --hostile-file NAME): upload.getFile
// answers that are longer or shorter than asked, bytes that change between two requests of the
// same range, and documents whose size or id change when the client fetches the message again.
// A client must never put a wrong byte on disk whatever of this it meets. Each behaviour has a
// name (the flag's and the manifest's word); HostileFiles is the run-time side, thread-safe.
//
//   long-answer / long-answer-always     getFile sends 4096 bytes more than `limit` (the file's
//                                        next bytes, or plausible bytes past its end): the first
//                                        answer of each range, or every answer
//   short-answer / short-answer-always   getFile sends half of a full part in the middle of the
//                                        file (never the part at its end), which Telegram's
//                                        clients would take for the end of the file
//   unstable-bytes                       the first answer of each range has some bytes flipped,
//                                        later ones are right; getFileHashes tells the truth
//   document-changes                     after two getFile answers of a document it becomes
//                                        "version 2": another size and other bytes, same id;
//   document-id-changes                  the same with another id and access_hash, same size.
//                                        References of version 1 then answer
//                                        FILE_REFERENCE_EXPIRED, and the message shows version 2.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.hpp"

namespace testdc {

struct Document;
struct World;
class FileReferences;

enum class HostileFile : std::uint8_t {
  kLongAnswer,
  kLongAnswerAlways,
  kShortAnswer,
  kShortAnswerAlways,
  kUnstableBytes,
  kDocumentChanges,
  kDocumentIdChanges,
};

const char* hostile_file_name(HostileFile h);
std::optional<HostileFile> hostile_file_from_name(std::string_view name);
std::vector<std::string> hostile_file_names();  // every name, in enum order

class HostileFiles {
 public:
  explicit HostileFiles(std::set<HostileFile> on) : on_(std::move(on)) {}

  bool any() const { return !on_.empty(); }

  // --- getFile answers ---
  // Makes the answer `bytes` (read for [offset, offset + limit) of `served`) hostile in place.
  // `read_more(offset, n)` reads the file's real bytes (fewer at its end). Returns the log
  // detail ("" when the answer is left right).
  using ReadMore = std::function<mtp::Bytes(std::int64_t offset, std::int32_t limit)>;
  std::string spoil_answer(const Document& served, std::int64_t offset, std::int32_t limit, mtp::Bytes& bytes,
                           const ReadMore& read_more);

  // --- document-changes / document-id-changes ---
  // Version 2 of `original` once it changed (what the messages show and getFile serves), else nullopt.
  std::optional<Document> changed_version(const Document& original) const;
  // The id file references of `original` are issued and checked for (version 2 has its own, so
  // version 1's references can be told apart even when the id stays).
  std::int64_t reference_id(const Document& original) const;
  // The world's document behind a version 2 id, if `id` is one.
  const Document* original_of(const World& world, std::int64_t id) const;
  // The file reference check of a location naming `requested_id`, which resolved to `original`:
  // "" when good, else Telegram's error. Version 1 references and ids of a changed document are
  // FILE_REFERENCE_EXPIRED.
  const char* check_reference(const FileReferences& refs, mtp::ByteSpan ref, const Document& original,
                              std::int64_t requested_id, std::int64_t now_s, std::int64_t lifetime_s) const;
  // Called for each getFile of `original` with a good reference: true (and the document is
  // version 2 from now on) for the one past the first kAnswersBeforeChange, which the caller
  // answers FILE_REFERENCE_EXPIRED, as Telegram does once the file behind a reference changed.
  bool take_change(const Document& original);

  static constexpr int kAnswersBeforeChange = 2;
  static constexpr std::int64_t kLongExtra = 4096;
  static constexpr std::int64_t kSizeChange = 777 * 1024 + 5;  // version 2 of document-changes is this much bigger

 private:
  bool on(HostileFile h) const { return on_.contains(h); }
  // True once per (document, offset): the first answer of a range.
  bool first_answer(std::int64_t document_id, std::int64_t offset);
  bool changed(std::int64_t original_id) const;

  std::set<HostileFile> on_;
  mutable std::mutex mu_;
  std::set<std::pair<std::int64_t, std::int64_t>> answered_ranges_;
  std::map<std::int64_t, int> requests_;  // original document id -> getFile calls before the change
  std::set<std::int64_t> changed_;       // original ids now at version 2
};

}  // namespace testdc
