import { theme } from 'antd';
import React from 'react';

/**
 * The compose window's CSS from the app's theme tokens, as MailStyles does for the mail center:
 * a plain <style> with `emc-compose` classes (the window is portalled to <body>, outside the
 * mail center's own styles), plus the editor's content and image-resize handles.
 */
export function ComposeStyles() {
  const { token } = theme.useToken();
  const css = `
.emc-compose{position:fixed;bottom:0;z-index:1020;width:600px;max-width:calc(100vw - 32px);height:min(640px,calc(100vh - 72px));display:flex;flex-direction:column;background:${token.colorBgElevated};color:${token.colorText};border-radius:${token.borderRadiusLG}px ${token.borderRadiusLG}px 0 0;box-shadow:0 8px 28px rgba(0,0,0,.28);overflow:hidden}
.emc-compose.emc-min{height:auto;width:320px}
.emc-compose.emc-max{top:5vh;bottom:5vh;left:8vw;right:8vw!important;width:auto;height:auto;border-radius:${token.borderRadiusLG}px;z-index:1021}
.emc-compose.emc-inline{position:relative;z-index:auto;bottom:auto;right:auto;width:100%;max-width:none;height:560px;box-shadow:none;border:1px solid ${token.colorBorderSecondary};border-radius:${token.borderRadiusLG}px;background:${token.colorBgContainer}}
.emc-compose.emc-inline .emc-compose-head{cursor:default}
.emc-compose-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.35);z-index:1020}
.emc-compose-head{display:flex;align-items:center;gap:4px;padding:6px 8px 6px 14px;background:${token.colorFillSecondary};cursor:pointer;flex:none}
.emc-compose-title{flex:1;min-width:0;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.emc-compose-body{flex:1;min-height:0;display:flex;flex-direction:column;position:relative}
.emc-compose-scroll{flex:1;min-height:0;overflow-y:auto;display:flex;flex-direction:column}
.emc-compose-row{display:flex;align-items:flex-start;gap:4px;border-bottom:1px solid ${token.colorBorderSecondary};padding:2px 12px;min-height:38px}
.emc-compose-row>.emc-compose-label{flex:none;width:44px;color:${token.colorTextSecondary};line-height:34px}
.emc-compose-row>.emc-compose-field{flex:1;min-width:0}
.emc-compose-row .emc-compose-toggles{flex:none;line-height:34px}
.emc-recipients .ant-select-selector{padding-left:0!important}
.emc-editor{display:flex;flex-direction:column;flex:1 0 auto}
.emc-editor-toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:2px;padding:4px 8px;border-bottom:1px solid ${token.colorBorderSecondary};position:sticky;top:0;background:${token.colorBgElevated};z-index:2}
.emc-editor-scroll{flex:1;display:flex;flex-direction:column}
.emc-editor-content{flex:1;min-height:180px;padding:12px 16px;outline:none;font-size:14px;line-height:1.6;overflow-wrap:anywhere}
.emc-editor-content p{margin:0 0 4px}
.emc-editor-content ul,.emc-editor-content ol{padding-left:24px;margin:4px 0}
.emc-editor-content a{color:${token.colorLink};text-decoration:underline}
.emc-editor-content blockquote{margin:0 0 0 .8ex;border-left:2px solid ${token.colorBorder};padding-left:1ex;color:${token.colorTextSecondary}}
.emc-editor-content img{max-width:100%;height:auto}
.emc-editor-content p.is-editor-empty:first-child::before,.emc-editor-content>p.is-empty:first-child::before{content:attr(data-placeholder);color:${token.colorTextPlaceholder};float:left;height:0;pointer-events:none}
.emc-editor-content [data-resize-wrapper]{display:inline-block}
.emc-editor-content [data-resize-handle]{width:10px;height:10px;background:${token.colorPrimary};border:1px solid #fff;border-radius:2px;opacity:0;z-index:1}
.emc-editor-content [data-resize-container]:hover [data-resize-handle],.emc-editor-content .ProseMirror-selectednode [data-resize-handle],.emc-editor-content [data-resize-state="true"] [data-resize-handle]{opacity:1}
.emc-editor-content [data-resize-handle="top-left"],.emc-editor-content [data-resize-handle="bottom-right"]{cursor:nwse-resize}
.emc-editor-content [data-resize-handle="top-right"],.emc-editor-content [data-resize-handle="bottom-left"]{cursor:nesw-resize}
.emc-editor-content .ProseMirror-selectednode img,.emc-editor-content img.ProseMirror-selectednode{outline:2px solid ${token.colorPrimary}}
.emc-editor-content .email-manager-signature{color:${token.colorTextSecondary}}
.emc-compose-quote{padding:0 16px 8px}
.emc-compose-files{display:flex;flex-wrap:wrap;gap:6px;padding:8px 12px}
.emc-compose-file{display:flex;align-items:center;gap:6px;border:1px solid ${token.colorBorderSecondary};border-radius:${token.borderRadius}px;padding:2px 4px 2px 8px;max-width:100%;background:${token.colorFillQuaternary}}
.emc-compose-file.emc-failed{border-color:${token.colorErrorBorder}}
.emc-compose-file-name{max-width:220px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.emc-compose-alerts{display:flex;flex-direction:column;gap:6px;padding:0 12px 8px}
.emc-compose-alerts:empty{display:none}
.emc-compose-foot{display:flex;align-items:center;gap:8px;padding:8px 12px;border-top:1px solid ${token.colorBorderSecondary};flex:none}
.emc-compose-status{flex:1;min-width:0;color:${token.colorTextTertiary};font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.emc-compose-drop{position:absolute;inset:0;z-index:5;display:flex;align-items:center;justify-content:center;border:2px dashed ${token.colorPrimary};background:${token.colorPrimaryBg}ee;color:${token.colorPrimary};font-size:16px;pointer-events:none}
`;
  return <style>{css}</style>;
}
