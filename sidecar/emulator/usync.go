package emulator

import (
	"strconv"
	"strings"
	"time"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

func nowUnix() int64 { return time.Now().Unix() }

// answerUsync answers the user-sync queries whatsmeow sends: devices (only those that uploaded keys, so an account's
// virtual phone, which has none, is never a target), contact (in for known phones, out otherwise) and lid.
func (c *conn) answerUsync(id string, usync waBinary.Node) {
	query := map[string]bool{}
	queryNode := usync.GetChildByTag("query")
	for _, q := range queryNode.GetChildren() {
		query[q.Tag] = true
	}
	var users []waBinary.Node
	listNode := usync.GetChildByTag("list")
	for _, u := range listNode.GetChildren() {
		if u.Tag == "user" {
			users = append(users, c.s.usyncUser(u, query))
		}
	}
	ag := usync.AttrGetter()
	c.reply(iqResult(id, waBinary.Node{Tag: "usync", Attrs: waBinary.Attrs{
		"sid": ag.OptionalString("sid"), "mode": ag.OptionalString("mode"), "context": ag.OptionalString("context"),
		"index": "0", "last": "true",
	}, Content: []waBinary.Node{{Tag: "list", Content: users}, {Tag: "side_list"}}}))
}

func (s *Server) usyncUser(u waBinary.Node, query map[string]bool) waBinary.Node {
	var children []waBinary.Node
	jid, hasJID := u.Attrs["jid"].(types.JID)
	contactQuery := ""
	if cn, ok := u.GetOptionalChildByTag("contact"); ok {
		switch v := cn.Content.(type) {
		case []byte:
			contactQuery = string(v)
		case string:
			contactQuery = v
		}
		if !hasJID {
			phone := strings.TrimPrefix(contactQuery, "+")
			phone, _, _ = strings.Cut(phone, "@")
			jid, hasJID = types.NewJID(phone, types.DefaultUserServer), true
		}
	}
	attrs := waBinary.Attrs{}
	if hasJID {
		attrs["jid"] = jid
	}
	phone, lidUser, known := s.reg.account(jid)
	if query["contact"] && contactQuery != "" {
		state := "out"
		if known {
			state = "in"
			attrs["jid"] = types.NewJID(lidUser, types.HiddenUserServer)
			attrs["pn_jid"] = types.NewJID(phone, types.DefaultUserServer)
		}
		children = append(children, waBinary.Node{Tag: "contact", Attrs: waBinary.Attrs{"type": state}, Content: []byte(contactQuery)})
	}
	if query["devices"] {
		var list []waBinary.Node
		if known {
			for _, dev := range s.reg.keyedDevices(phone) {
				list = append(list, waBinary.Node{Tag: "device", Attrs: waBinary.Attrs{"id": strconv.Itoa(int(dev))}})
			}
		}
		children = append(children, waBinary.Node{Tag: "devices", Content: []waBinary.Node{
			{Tag: "device-list", Content: list},
			{Tag: "key-index-list", Attrs: waBinary.Attrs{"ts": strconv.FormatInt(nowUnix(), 10)}},
		}})
	}
	if query["lid"] && known {
		children = append(children, waBinary.Node{Tag: "lid", Attrs: waBinary.Attrs{"val": types.NewJID(lidUser, types.HiddenUserServer)}})
	}
	return waBinary.Node{Tag: "user", Attrs: attrs, Content: children}
}
