// The world's loaders and editor: generated documents (the same bytes as testdc_world.py), shared
// documents, forum topics, discussion copies and comments, the control port's commands, and the
// history paging rules.
#include <catch2/catch.hpp>

#include "api_history.hpp"
#include "control_commands.hpp"
#include "world.hpp"

namespace {

const char* kWorld = R"({
  "conditions": {"seed": 4},
  "accounts": [{"phone": "15550000001"}, {"phone": "15550000002"}],
  "channels": [
    {"username": "news_chan", "linked_chat": "news_group", "messages": [
      {"text": "p1", "document": {"generate": {"size": 10, "seed": 3}, "key": "k", "file_name": "a\u0000b"},
       "comments": [{"text": "c1", "from": "15550000002"}, {"text": "c2", "document": {"same_as": "k"}}]},
      {"text": "p2"}]},
    {"username": "news_group", "megagroup": true, "messages": [{"text": "own"}]},
    {"username": "forum_chat", "forum": true, "messages": [{"text": "general"}],
     "topics": [{"title": "T", "messages": [{"text": "t1"}, {"text": "t2", "reply_to": 3},
                                            {"text": "t3", "document": {"generate": {"size": 5}, "file_name": null}}]}]}]
})";

testdc::World load() {
  auto w = testdc::load_manifest(kWorld, ".");
  if (!w) FAIL(w.error().to_string());
  return std::move(*w);
}

std::vector<int> ids_of(const std::vector<const testdc::Message*>& ms) {
  std::vector<int> out;
  for (const auto* m : ms) out.push_back(m->id);
  return out;
}

}  // namespace

TEST_CASE("generated documents: the bytes testdc_world.py computes, any range on its own") {
  std::vector<std::uint8_t> all(16), part(5);
  testdc::generated_bytes(1, 0, all);
  testdc::generated_bytes(1, 3, part);
  // Pinned against tests/interop/testdc_world.py's generated_bytes(1, 16) and (1, 5, 3).
  CHECK(mtp::to_hex(all) == "1e61397408ab415e03ae173295fdd686");
  CHECK(mtp::to_hex(part) == "7408ab415e");
}

TEST_CASE("discussion: every post copied to the linked group after its own messages, comments reply to the copy") {
  testdc::World w = load();
  const auto& news = *w.find_channel_by_username("news_chan");
  const auto& group = *w.find_channel_by_username("news_group");
  CHECK(news.linked_chat == group.id);
  CHECK(group.linked_chat == news.id);
  REQUIRE(group.messages.size() == 5);  // own, copy of p1, c1, c2, copy of p2
  CHECK(news.messages[0].discussion_copy == 2);
  CHECK(news.messages[1].discussion_copy == 5);
  const auto& copy = group.messages[1];
  REQUIRE(copy.forwarded);
  CHECK(copy.forwarded->post_id == 1);
  CHECK(copy.document->id == news.messages[0].document->id);
  CHECK(ids_of(group.thread_messages(2)) == std::vector<int>{3, 4});
  CHECK(group.messages[2].reply_to->msg_id == 2);
  CHECK(group.messages[2].from_user == 1'000'002);
  // same_as: the very same document, name bytes (with the NUL) and all.
  CHECK(group.messages[3].document->id == news.messages[0].document->id);
  CHECK(group.messages[3].document->access_hash == news.messages[0].document->access_hash);
  CHECK(*group.messages[3].document->file_name == std::string("a\0b", 3));
}

TEST_CASE("forum: topics are their creation messages, replies stay in their topic, General is the rest") {
  testdc::World w = load();
  const auto& forum = *w.find_channel_by_username("forum_chat");
  CHECK(forum.megagroup);
  CHECK(forum.is_topic(1));
  CHECK(forum.is_topic(2));
  CHECK_FALSE(forum.is_topic(3));
  CHECK(*forum.messages[1].topic_title == "T");
  CHECK(ids_of(forum.thread_messages(2)) == std::vector<int>{2, 3, 4, 5});
  CHECK(ids_of(forum.thread_messages(1)) == std::vector<int>{1});
  const auto& reply = *forum.find_message(4)->reply_to;
  CHECK(reply.msg_id == 3);
  CHECK(reply.top_id == 2);
  CHECK(reply.forum_topic);
  CHECK(forum.find_message(3)->reply_to->top_id == 0);
  CHECK_FALSE(forum.find_message(5)->document->file_name.has_value());
}

TEST_CASE("bad worlds: unknown same_as, comments without a group, ids going back, replies to nothing") {
  for (const char* bad : {
           R"({"channels": [{"messages": [{"document": {"same_as": "nope"}}]}]})",
           R"({"channels": [{"messages": [{"comments": [{"text": "x"}]}]}]})",
           R"({"channels": [{"messages": [{"id": 5}, {"id": 3}]}]})",
           R"({"channels": [{"messages": [{"reply_to": 9}]}]})",
           R"({"channels": [{"topics": [{"title": "not a forum"}]}]})",
           R"({"channels": [{"username": "chan_one", "linked_chat": "chan_one"}]})",
       }) {
    INFO(bad);
    CHECK_FALSE(testdc::load_manifest(bad, ".").ok());
  }
}

TEST_CASE("control commands: post to chats by name or id, documents generated, errors as answers") {
  testdc::World w = load();
  auto& news = *w.find_channel_by_username("news_chan");
  auto answer = testdc::run_control_command(w, "post @news_chan text=hello%20there size=100 seed=9 name=x%2Fy.bin", 1'800'000'000);
  CHECK(answer.rfind("ok id=3 date=1800000000 document_id=", 0) == 0);
  CHECK(answer.find(" copy=6") != std::string::npos);
  const auto& m = news.messages.back();
  CHECK(m.text == "hello there");
  CHECK(m.document->size == 100);
  CHECK(m.document->generated_seed == std::optional<std::uint64_t>(9));
  CHECK(*m.document->file_name == "x/y.bin");
  const auto& forum = *w.find_channel_by_username("forum_chat");
  CHECK(testdc::run_control_command(w, "post " + std::to_string(forum.id) + " topic=2 text=t4", 5) == "ok id=6 date=1700000005");
  CHECK(forum.messages.back().thread == 2);
  for (const char* bad : {"post @nobody", "post", "jump", "", "post @news_chan size=x", "post @news_chan seed=1",
                          "post @news_chan text=%4", "post @forum_chat topic=3", "post @news_chan reply_to=99"}) {
    INFO(bad);
    CHECK(testdc::run_control_command(w, bad, 5).rfind("error ", 0) == 0);
  }
  CHECK(testdc::run_control_command(w, "ping", 5) == "ok");
  CHECK(testdc::percent_decode("a%00b") == std::optional<std::string>(std::string("a\0b", 3)));
}

TEST_CASE("history paging: offset, add_offset (negative too), limit, then min_id / max_id on the page") {
  std::vector<testdc::Message> msgs(10);
  std::vector<const testdc::Message*> all;
  for (int i = 0; i < 10; ++i) {
    msgs[static_cast<std::size_t>(i)].id = i + 1;
    msgs[static_cast<std::size_t>(i)].date = 100 + i + 1;
    all.push_back(&msgs[static_cast<std::size_t>(i)]);
  }
  // {offset_id, offset_date, add_offset, limit, max_id, min_id}
  auto page = [&](testdc::HistoryQuery q) { return ids_of(testdc::history_page(all, q)); };
  CHECK(page({0, 0, 0, 3, 0, 0}) == std::vector<int>{10, 9, 8});
  CHECK(page({5, 0, 0, 2, 0, 0}) == std::vector<int>{4, 3});
  CHECK(page({5, 0, -2, 3, 0, 0}) == std::vector<int>{6, 5, 4});
  CHECK(page({10, 0, -3, 5, 0, 0}) == std::vector<int>{10, 9, 8});  // 2 of the 5 before the newest
  CHECK(page({0, 104, 0, 10, 0, 0}) == std::vector<int>{3, 2, 1});
  CHECK(page({8, 104, 0, 2, 0, 0}) == std::vector<int>{7, 6});
  CHECK(page({0, 0, 0, 5, 9, 6}) == std::vector<int>{8, 7});
  CHECK(page({0, 0, 0, 3, 5, 0}).empty());  // the page is 10..8, filtered
  CHECK(page({0, 0, 0, 1000, 0, 0}).size() == 10);
  CHECK(page({0, 0, 0, 0, 0, 0}).empty());
}
