import { theme } from 'antd';
import React from 'react';

/**
 * The mail center's CSS, from the app's theme tokens. A plain <style> with `emc-` classes: the
 * app's antd-style/emotion are not available to component tests, and hover/focus states need
 * real selectors, which inline styles cannot express.
 */
export function MailStyles() {
  const { token } = theme.useToken();
  const css = `
.emc-root{display:flex;height:calc(100vh - var(--nb-header-height, 46px));background:${token.colorBgContainer};color:${token.colorText};overflow:hidden}
.emc-sidebar{width:248px;flex:none;border-right:1px solid ${token.colorBorderSecondary};display:flex;flex-direction:column;overflow:hidden;background:${token.colorBgLayout}}
.emc-sidebar-top{display:flex;gap:6px;padding:12px 12px 8px}
.emc-sidebar-scroll{flex:1;overflow-y:auto;padding:0 8px 16px}
.emc-nav-title{display:flex;align-items:center;justify-content:space-between;margin:14px 8px 4px;font-size:12px;color:${token.colorTextTertiary};text-transform:uppercase;letter-spacing:.04em}
.emc-nav-divider{height:1px;background:${token.colorBorderSecondary};margin:10px 12px}
.emc-nav-item{display:flex;align-items:center;gap:10px;height:32px;padding:0 10px 0 12px;border-radius:16px;cursor:pointer;user-select:none;color:${token.colorText}}
.emc-nav-item:hover{background:${token.colorFillSecondary}}
.emc-nav-item.emc-active{background:${token.colorPrimaryBg};color:${token.colorPrimaryText};font-weight:600}
.emc-nav-item .emc-nav-name{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.emc-nav-item .emc-nav-count{font-size:12px;font-weight:600}
.emc-dot{width:10px;height:10px;border-radius:50%;flex:none;display:inline-block}
.emc-main{flex:1;min-width:0;display:flex;flex-direction:column}
.emc-header{display:flex;align-items:center;gap:8px;padding:10px 16px;border-bottom:1px solid ${token.colorBorderSecondary}}
.emc-actions{display:flex;align-items:center;gap:4px;padding:6px 12px;min-height:44px;border-bottom:1px solid ${token.colorBorderSecondary}}
.emc-actions .emc-spacer{flex:1}
.emc-banners{display:flex;flex-direction:column;gap:6px;padding:8px 16px 0}
.emc-banners:empty{display:none}
.emc-content{flex:1;overflow-y:auto;position:relative}
.emc-footer{display:flex;justify-content:flex-end;padding:8px 16px;border-top:1px solid ${token.colorBorderSecondary}}
.emc-row{display:flex;align-items:center;gap:8px;height:42px;padding:0 16px 0 10px;border-bottom:1px solid ${token.colorBorderSecondary};cursor:pointer;background:${token.colorFillQuaternary};border-left:3px solid transparent}
.emc-row:hover{box-shadow:inset 0 -1px 0 ${token.colorBorder},0 1px 3px rgba(0,0,0,.08);position:relative;z-index:1}
.emc-row.emc-unread{background:${token.colorBgContainer};font-weight:600}
.emc-row.emc-selected{background:${token.colorPrimaryBg}}
.emc-row.emc-cursor{border-left-color:${token.colorPrimary}}
.emc-row .emc-who{width:200px;flex:none;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.emc-row .emc-line{flex:1;min-width:0;display:flex;align-items:center;gap:6px;overflow:hidden;white-space:nowrap}
.emc-row .emc-subject{overflow:hidden;text-overflow:ellipsis;flex:0 1 auto}
.emc-row .emc-snippet{color:${token.colorTextTertiary};font-weight:400;overflow:hidden;text-overflow:ellipsis;flex:1 1 0;min-width:40px}
.emc-row .emc-count{color:${token.colorTextTertiary};font-weight:400;font-size:12px}
.emc-row .emc-tags{display:flex;gap:2px;flex:none}
.emc-row .emc-tags .ant-tag{margin:0;font-weight:400}
.emc-row .emc-icons{display:flex;align-items:center;gap:6px;color:${token.colorTextTertiary};flex:none}
.emc-row .emc-date{width:72px;flex:none;text-align:right;font-size:12px}
.emc-row .emc-star{color:${token.colorTextQuaternary};font-size:15px;padding:4px;border-radius:50%}
.emc-row .emc-star.emc-on,.emc-msg .emc-star.emc-on{color:#f5b400}
.emc-reader{display:flex;min-height:100%}
.emc-reader-main{flex:1;min-width:0;padding:16px 24px 32px}
.emc-reader-side{width:288px;flex:none;border-left:1px solid ${token.colorBorderSecondary};padding:16px;background:${token.colorBgLayout}}
.emc-msg{border:1px solid ${token.colorBorderSecondary};border-radius:${token.borderRadiusLG}px;margin-bottom:8px;background:${token.colorBgContainer}}
.emc-msg-head{display:flex;align-items:flex-start;gap:12px;padding:12px 16px;cursor:pointer}
.emc-msg-who{flex:1;min-width:0}
.emc-msg-snippet{color:${token.colorTextTertiary};overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.emc-msg-meta{color:${token.colorTextSecondary};font-size:12px}
.emc-msg-body{padding:0 16px 16px 60px}
.emc-msg-compose{display:flex;gap:8px;margin-top:16px}
.emc-frame{width:100%;border:0;display:block;min-height:40px}
.emc-text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px;line-height:1.6;margin:0;font-family:inherit}
.emc-quote{color:${token.colorTextSecondary};border-left:2px solid ${token.colorBorder};padding-left:8px;margin-top:8px}
.emc-attachments{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.emc-attachment{display:flex;align-items:center;gap:8px;border:1px solid ${token.colorBorderSecondary};border-radius:${token.borderRadius}px;padding:6px 8px;max-width:280px}
.emc-attachment-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:150px}
.emc-side-inner{position:sticky;top:16px}
.emc-side-section{margin-bottom:20px}
.emc-side-title{font-weight:600;margin-bottom:8px}
`;
  return <style>{css}</style>;
}
