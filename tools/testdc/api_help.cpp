// help.getConfig, help.getNearestDc, updates.getState.
#include "api_handlers.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {

ApiReply help_getConfig(ApiCall& call) {
  if (!parse_request<api::help_getConfig>(call)) return fetch_error();
  const World& world = call.state.world();
  const std::int32_t now = api_state(call).now_s();

  api::config c;
  c.date = now;
  c.expires = now + 3600;
  c.test_mode = false;
  c.this_dc = call.dc;
  // addresses() keeps each DC's main address before its media-only one: clients such as
  // Telethon take the first option with the DC id they want.
  for (const DcAddress& a : call.state.addresses()) {
    api::dcOption o;
    o.media_only = a.media_only;
    // Every DC shares the host and differs by port only: the address is good for this port.
    o.this_port_only = true;
    o.id = a.dc;
    o.ip_address = a.host;
    o.port = a.port;
    c.dc_options.push_back(o);
  }
  c.dc_txt_domain_name = "apv3.stel.com";
  c.chat_size_max = 200;
  c.megagroup_size_max = 200000;
  c.forwarded_count_max = 100;
  c.online_update_period_ms = 210000;
  c.offline_blur_timeout_ms = 5000;
  c.offline_idle_timeout_ms = 30000;
  c.online_cloud_timeout_ms = 300000;
  c.notify_cloud_delay_ms = 30000;
  c.notify_default_delay_ms = 1500;
  c.push_chat_period_ms = 60000;
  c.push_chat_limit = 2;
  c.edit_time_limit = 172800;
  c.revoke_time_limit = 2147483647;
  c.revoke_pm_time_limit = 2147483647;
  c.rating_e_decay = 2419200;
  c.stickers_recent_limit = 200;
  c.channels_read_media_period = 604800;
  c.call_receive_timeout_ms = 20000;
  c.call_ring_timeout_ms = 90000;
  c.call_connect_timeout_ms = 30000;
  c.call_packet_timeout_ms = 10000;
  c.me_url_prefix = "https://t.me/";
  c.caption_length_max = 1024;
  c.message_length_max = 4096;
  c.webfile_dc_id = world.home_dc;
  c.suggested_lang_code = "en";
  c.lang_pack_version = 1;
  c.base_lang_pack_version = 1;
  return ApiReply::ok(c);
}

ApiReply help_getNearestDc(ApiCall& call) {
  if (!parse_request<api::help_getNearestDc>(call)) return fetch_error();
  return ApiReply::ok(api::nearestDc{"US", call.dc, call.state.world().home_dc});
}

ApiReply updates_getState(ApiCall& call) {
  if (!parse_request<api::updates_getState>(call)) return fetch_error();
  if (!logged_in_account(call)) return unregistered();
  api::updates_state s;
  s.pts = 1;
  s.qts = 0;
  s.date = api_state(call).now_s();
  s.seq = 1;
  s.unread_count = 0;
  return ApiReply::ok(s);
}

}  // namespace testdc::handlers
