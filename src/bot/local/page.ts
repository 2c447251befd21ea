/** The single-page local chat (no build step, no external assets: it must work offline). */
export function localChatPage(): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Bảo vệ trẻ em — trò chuyện thử</title>
<style>
 body{font-family:system-ui,sans-serif;margin:0;background:#eef2f5;display:flex;height:100vh}
 aside{width:240px;background:#fff;border-right:1px solid #ccd;padding:12px;overflow:auto}
 aside h2{font-size:15px;margin:4px 0 8px}
 aside button{display:block;width:100%;text-align:left;margin:3px 0;padding:7px;border:1px solid #ccd;background:#f7f9fb;border-radius:6px;cursor:pointer}
 aside button.on{background:#1769aa;color:#fff}
 main{flex:1;display:flex;flex-direction:column}
 header{padding:10px 14px;background:#1769aa;color:#fff;font-weight:600}
 #log{flex:1;overflow:auto;padding:12px}
 .b{max-width:70%;margin:6px 0;padding:8px 11px;border-radius:10px;white-space:pre-wrap;line-height:1.35}
 .user{background:#d8ecff;margin-left:auto}.service{background:#fff}
 .choices button{margin:4px 4px 0 0;padding:5px 9px;border:1px solid #1769aa;border-radius:14px;background:#fff;color:#1769aa;cursor:pointer}
 form{display:flex;padding:10px;background:#fff;border-top:1px solid #ccd}
 input{flex:1;padding:9px;font-size:15px}
 form button{margin-left:8px;padding:9px 16px}
</style></head><body>
<aside><h2>Bạn là ai?</h2><div id="users"></div>
<p style="font-size:12px;color:#555">Hoặc gõ mã người dùng khác:</p><input id="custom" placeholder="vd: nguoi-dan-9" style="width:90%">
<p style="font-size:12px;color:#555">Tin nhắn dịch vụ gửi cho người khác (cảnh báo, nhắc việc) hiện trong khung trò chuyện của người đó.</p></aside>
<main><header id="who">Chọn một người ở bên trái</header><div id="log"></div>
<form id="f"><input id="t" autocomplete="off" placeholder="Nhập tin nhắn… (vd: /start)"><button>Gửi</button></form></main>
<script>
let me=null, cursor='0', timer=null;
const log=document.getElementById('log');
function bubble(e){const d=document.createElement('div');d.className='b '+e.from;d.textContent=e.message.text;
 if(e.from==='service'&&e.message.choices){const c=document.createElement('div');c.className='choices';
  for(const ch of e.message.choices){const b=document.createElement('button');b.textContent=ch.label;b.onclick=()=>send({choice:ch.value,label:ch.label});c.appendChild(b);}d.appendChild(c);}
 log.appendChild(d);log.scrollTop=log.scrollHeight;}
async function poll(){if(!me)return;const r=await fetch('/local/messages?userId='+me+'&after='+cursor);if(!r.ok)return;
 for(const e of await r.json()){bubble(e);cursor=e.id;}}
function pick(id,label){me=id;cursor='0';log.innerHTML='';document.getElementById('who').textContent=label+' ('+id+')';
 document.querySelectorAll('aside button').forEach(b=>b.classList.toggle('on',b.dataset.id===id));clearInterval(timer);poll();timer=setInterval(poll,1000);}
async function send(body){if(!me)return alert('Chọn người dùng trước');
 await fetch('/local/send',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({userId:me,clientId:crypto.randomUUID(),...body})});poll();}
document.getElementById('f').onsubmit=e=>{e.preventDefault();const t=document.getElementById('t');if(t.value.trim())send({text:t.value});t.value='';};
document.getElementById('custom').onchange=e=>pick(e.target.value.trim().toLowerCase(),'Người dùng');
fetch('/local/users').then(r=>r.json()).then(us=>{const box=document.getElementById('users');for(const u of us){const b=document.createElement('button');
 b.textContent=u.label;b.dataset.id=u.id;b.onclick=()=>pick(u.id,u.label);box.appendChild(b);}
 const q=new URLSearchParams(location.search).get('user');if(q){const u=us.find(x=>x.id===q);pick(q,u?u.label:'Người dùng');}});
</script></body></html>`;
}
