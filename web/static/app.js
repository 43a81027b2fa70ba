// 远程视频调解 — browser client. Plain JavaScript, no build step.
// Protocol: docs/SIGNALLING.md. Hooks for automated tests: window.tiaojie.
"use strict";
(function () {
  const $ = (sel) => document.querySelector(sel);
  const api = (location.search.match(/[?&]api=([^&]+)/) || [])[1] || "";

  // ---- login: pluggable. Each provider resolves to an access token. ----
  const auth = {
    token: sessionStorage.getItem("tiaojie.access") || "",
    providers: {
      async staff({ username, password }) {
        const r = await post("/api/v1/auth/staff-login", { username, password });
        return r.access_token;
      },
      async citizen({ phone, code }) {
        const r = await post("/api/v1/auth/citizen-login", { phone, code });
        return r.access_token;
      },
      async token({ access_token }) { return access_token; },
    },
    async login(kind, fields) {
      const t = await this.providers[kind](fields);
      if (!t) throw new Error("登录失败");
      this.token = t;
      sessionStorage.setItem("tiaojie.access", t);
      show("room-form-view");
      return t;
    },
  };

  async function post(path, body, bearer) {
    const headers = { "Content-Type": "application/json", "Accept-Language": "zh-CN" };
    if (bearer) headers.Authorization = "Bearer " + bearer;
    const res = await fetch(api + path, { method: "POST", headers, body: JSON.stringify(body || {}) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || data.title || ("请求失败：" + res.status));
    return data;
  }

  // ---- UI helpers ----
  const views = ["login-view", "room-form-view", "lobby-view", "room-view"];
  function show(id) { for (const v of views) $("#" + v).hidden = v !== id; }
  function status(text, state) { const s = $("#status"); s.textContent = text; s.dataset.state = state || ""; }
  function log(text) {
    const li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString("zh-CN") + " " + text;
    $("#log").prepend(li);
  }
  const roleNames = { host: "主持人", family: "家属", detainee_terminal: "在押人员终端", observer: "观察员" };
  const endReasons = { host_ended: "主持人已结束调解", window_closed: "调解时间已到", empty: "调解室已空", server_shutdown: "服务器维护，请稍后重新进入" };
  const errorTexts = {
    "room.token_invalid": "进入令牌无效或已过期", "room.not_invited": "您未受邀参加本次调解", "room.not_open": "调解尚未开始",
    "room.closed": "调解时间已过", "room.ended": "调解已结束", "room.full": "调解室人数已满", "room.removed": "您已被移出本次调解",
    "lobby.waiting": "请等待主持人允许", "ice.failed": "媒体连接失败，请重新进入",
  };

  // ---- session state ----
  const st = { ws: null, pc: null, local: null, me: null, role: "", iceServers: [], attached: false,
    participants: new Map(), pendingCandidates: [], room: "" };

  async function ensureLocalMedia() {
    if (st.local) return st.local;
    try {
      st.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    } catch (e) {
      log("无法打开摄像头或麦克风：" + e.message);
      st.local = new MediaStream();
    }
    $("#local").srcObject = st.local;
    return st.local;
  }

  async function join(room) {
    st.room = room;
    status("正在获取进入令牌…");
    const grant = await post("/api/v1/rooms/" + encodeURIComponent(room) + "/join-token", {}, auth.token);
    st.iceServers = grant.ice_servers || [];
    await ensureLocalMedia();
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const base = api ? api.replace(/^http/, "ws") : proto + "//" + location.host;
    // The room lives on one server instance; the grant says which (signal_url).
    const url = grant.signal_url ? grant.signal_url.replace(/^http/, "ws") : base + "/api/v1/rooms/" + encodeURIComponent(room) + "/signal";
    const ws = new WebSocket(url);
    st.ws = ws;
    ws.onopen = () => { send("join", { token: grant.token }); status("正在进入…"); };
    ws.onmessage = (ev) => onMessage(JSON.parse(ev.data));
    ws.onclose = () => { status("已断开", "error"); log("连接已关闭"); cleanupMedia(); };
    show("room-view");
  }

  function send(type, data) {
    if (st.ws && st.ws.readyState === WebSocket.OPEN) st.ws.send(JSON.stringify({ v: 1, type, data }));
  }

  function newPeerConnection() {
    const pc = new RTCPeerConnection({ iceServers: st.iceServers });
    pc.onicecandidate = (e) => {
      if (e.candidate) send("candidate", { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex });
    };
    pc.ontrack = (e) => {
      const id = e.streams[0] ? e.streams[0].id : e.track.id;
      const tile = tileFor(id);
      const v = tile.querySelector("video");
      if (!v.srcObject) v.srcObject = new MediaStream();
      v.srcObject.addTrack(e.track);
      e.track.onended = () => v.srcObject && v.srcObject.removeTrack(e.track);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "connected") status("通话中", "connected");
      if (pc.connectionState === "disconnected") { status("网络波动，正在恢复…"); send("ice_restart"); }
    };
    return pc;
  }

  async function onOffer(data) {
    if (!st.pc) st.pc = newPeerConnection();
    const pc = st.pc;
    await pc.setRemoteDescription({ type: "offer", sdp: data.sdp });
    if (!st.attached) {
      // The server's first two sections are our own audio and video slots.
      for (const track of st.local.getTracks()) pc.addTrack(track, st.local);
      st.attached = true;
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    send("answer", { sdp: answer.sdp, seq: data.seq });
    for (const c of st.pendingCandidates.splice(0)) await pc.addIceCandidate(c).catch(() => {});
  }

  async function onMessage(m) {
    const d = m.data || {};
    switch (m.type) {
      case "welcome":
        st.me = d.you.id; st.role = d.you.role;
        $("#recording").hidden = !d.recording;
        for (const el of document.querySelectorAll(".host-only")) el.hidden = st.role !== "host";
        for (const p of d.participants || []) addPerson(p);
        if (d.lobby) renderLobby(d.lobby);
        if (d.state === "lobby") { $("#lobby-view").hidden = false; status("等候室"); log("已进入等候室"); }
        else { status("已进入调解室", "connected"); log("已进入调解室 " + d.room); }
        break;
      case "admitted":
        $("#lobby-view").hidden = true; log("主持人已允许您加入");
        for (const p of d.participants || []) addPerson(p);
        break;
      case "offer": await onOffer(d); break;
      case "candidate":
        if (st.pc && st.pc.remoteDescription) await st.pc.addIceCandidate(d).catch(() => {});
        else st.pendingCandidates.push(d);
        break;
      case "participant_joined": addPerson(d); log((d.name || d.id) + " 加入了调解"); break;
      case "participant_left": removePerson(d.participant); log(d.participant + " 离开了调解"); break;
      case "lobby": renderLobby(d.lobby || []); break;
      case "mute": onMute(d); break;
      case "denied": log("主持人未允许您加入"); status("未获准加入", "error"); break;
      case "kicked": log("您已被主持人移出调解"); status("已被移出", "error"); break;
      case "replaced": log("您已在其他设备上进入"); status("已在其他设备进入", "error"); break;
      case "ended": log(endReasons[d.reason] || "调解已结束"); status("调解已结束"); break;
      case "error": log("错误：" + (errorTexts[d.code] || d.message || d.code)); if (d.fatal) status("连接失败", "error"); break;
    }
  }

  function tileFor(id) {
    let tile = document.getElementById("tile-" + id);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "tile"; tile.id = "tile-" + id;
      tile.innerHTML = "<video autoplay playsinline></video><figcaption></figcaption>";
      $("#videos").append(tile);
    }
    const p = st.participants.get(id);
    tile.querySelector("figcaption").textContent = p ? (p.name || p.id) + "（" + (roleNames[p.role] || p.role) + "）" : id;
    return tile;
  }

  function addPerson(p) {
    st.participants.set(p.id, p);
    tileFor(p.id).classList.toggle("muted-audio", !!(p.muted && p.muted.audio));
    renderPeople();
  }
  function removePerson(id) {
    st.participants.delete(id);
    const t = document.getElementById("tile-" + id);
    if (t) t.remove();
    renderPeople();
  }

  function renderPeople() {
    const ul = $("#people"); ul.textContent = "";
    for (const p of st.participants.values()) {
      const li = document.createElement("li");
      li.textContent = (p.name || p.id) + "（" + (roleNames[p.role] || p.role) + "） ";
      if (st.role === "host") {
        li.append(button("静音", () => send("mute", { participant: p.id, kind: "audio", muted: true })));
        li.append(button("移出", () => { if (confirm("确定移出 " + (p.name || p.id) + "？")) send("kick", { participant: p.id }); }));
      }
      ul.append(li);
    }
  }

  function renderLobby(list) {
    st.lobby = list;
    const ul = $("#lobby-list"); ul.textContent = "";
    if (!list.length) { ul.innerHTML = '<li class="empty">暂无等候人员</li>'; return; }
    for (const p of list) {
      const li = document.createElement("li");
      li.textContent = (p.name || p.id) + "（" + (roleNames[p.role] || p.role) + "） ";
      li.append(button("允许进入", () => send("admit", { participant: p.id })));
      li.append(button("拒绝", () => send("deny", { participant: p.id })));
      ul.append(li);
    }
    if (list.length) log("等候室有 " + list.length + " 人等待");
  }

  function button(text, fn) { const b = document.createElement("button"); b.type = "button"; b.textContent = text; b.onclick = fn; return b; }

  function onMute(d) {
    if (d.participant === st.me) {
      if (d.by && d.by !== st.me && d.muted) {
        for (const t of st.local.getAudioTracks()) t.enabled = false;
        $("#mute-audio").textContent = "取消静音";
        log("主持人将您静音");
      }
      return;
    }
    const p = st.participants.get(d.participant);
    if (p) { p.muted = Object.assign({}, p.muted, { [d.kind]: d.muted }); addPerson(p); }
  }

  function toggle(kind, btn, onText, offText) {
    const tracks = kind === "audio" ? st.local.getAudioTracks() : st.local.getVideoTracks();
    const muted = tracks.length > 0 && tracks[0].enabled;
    for (const t of tracks) t.enabled = !muted;
    btn.textContent = muted ? onText : offText;
    send("mute", { kind, muted });
  }

  function cleanupMedia() {
    if (st.pc) { st.pc.close(); st.pc = null; }
    st.attached = false;
    for (const id of [...st.participants.keys()]) removePerson(id);
  }

  function leave() { send("leave"); if (st.ws) st.ws.close(); cleanupMedia(); status("已离开"); }

  // ---- wiring the page ----
  for (const b of document.querySelectorAll(".tabs button")) {
    b.onclick = () => {
      for (const x of document.querySelectorAll(".tabs button")) x.classList.toggle("active", x === b);
      for (const f of document.querySelectorAll("form.tab")) f.hidden = f.dataset.tab !== b.dataset.tab;
    };
  }
  const fields = (form) => Object.fromEntries(new FormData(form).entries());
  const guard = (fn) => async (e) => { e.preventDefault(); try { await fn(e); } catch (err) { log(err.message); status(err.message, "error"); } };
  $("#staff-form").onsubmit = guard((e) => auth.login("staff", fields(e.target)));
  $("#citizen-form").onsubmit = guard((e) => auth.login("citizen", fields(e.target)));
  $("#token-form").onsubmit = guard((e) => auth.login("token", fields(e.target)));
  $("#send-code").onclick = guard(async () => { await post("/api/v1/auth/sms-code", { phone: $("#citizen-form").phone.value }); log("验证码已发送"); });
  $("#room-form").onsubmit = guard((e) => join(fields(e.target).room));
  $("#mute-audio").onclick = () => toggle("audio", $("#mute-audio"), "取消静音", "静音");
  $("#mute-video").onclick = () => toggle("video", $("#mute-video"), "打开摄像头", "关闭摄像头");
  $("#ice-restart").onclick = () => send("ice_restart");
  $("#leave").onclick = leave;
  $("#end").onclick = () => { if (confirm("确定结束本次调解？")) send("end"); };

  const params = new URLSearchParams(location.search);
  if (params.get("room")) $("#room-form").room.value = params.get("room");
  show(auth.token ? "room-form-view" : "login-view");

  // ---- hooks for automated browser tests ----
  window.tiaojie = {
    auth,
    login: (kind, f) => auth.login(kind, f),
    join,
    leave,
    send,
    admitAll() { for (const p of st.lobby || []) send("admit", { participant: p.id }); },
    state: () => ({ me: st.me, role: st.role, connection: st.pc ? st.pc.connectionState : "new",
      participants: [...st.participants.keys()], lobby: (st.lobby || []).map((p) => p.id) }),
    async inboundStats() {
      if (!st.pc) return [];
      const out = [];
      (await st.pc.getStats()).forEach((r) => {
        if (r.type === "inbound-rtp") out.push({ kind: r.kind, packetsReceived: r.packetsReceived, framesDecoded: r.framesDecoded || 0, trackIdentifier: r.trackIdentifier });
      });
      return out;
    },
    // Sum of framesDecoded over inbound video: grows while remote video plays.
    async framesDecoded() {
      return (await this.inboundStats()).filter((s) => s.kind === "video").reduce((n, s) => n + s.framesDecoded, 0);
    },
  };
})();
