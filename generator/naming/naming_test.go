package naming

import (
	"go/token"
	"testing"
)

func TestExported(t *testing.T) {
	tests := []struct{ wire, want string }{
		{"TaskId", "TaskID"},
		{"Url", "URL"},
		{"CallbackUrl", "CallbackURL"},
		{"VideoUrls", "VideoUrls"}, // not an initialism once pluralised: left as written
		{"ReqId", "ReqID"},
		{"InputSsml", "InputSSML"},
		{"HTTPServer", "HTTPServer"},
		{"httpServer", "HTTPServer"},
		{"http_url", "HTTPURL"},
		{"task-id", "TaskID"},
		{"task id", "TaskID"},
		{"task.id", "TaskID"},
		{"SUCCESS", "Success"},
		{"MAKING_VIDEO", "MakingVideo"},
		{"VirtualmanKey", "VirtualmanKey"},
		{"Mp4Url", "Mp4URL"},
		{"MP4", "Mp4"},
		{"3d_model", "X3dModel"},
		{"3DModel", "X3DModel"},
		{"123", "X123"},
		{"type", "Type"},
		{"func", "Func"},
		{"nil", "Nil"},
		{"string", "String"},
		{"json", "JSON"},
		{"runtime", "Runtime"},
		{"名字", "X名字"},
		{"Ünïcödé", "Ünïcödé"},
		{"émoji🙂name", "ÉmojiName"},
		{"_leading", "Leading"},
		{"a", "A"},
		{"ID", "ID"},
		{"id", "ID"},
		{"UserIDs", "UserIDs"},
	}
	for _, tt := range tests {
		got, err := Exported(tt.wire)
		if err != nil {
			t.Errorf("Exported(%q): %v", tt.wire, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Exported(%q) = %q, want %q", tt.wire, got, tt.want)
		}
		if !token.IsIdentifier(got) || !token.IsExported(got) {
			t.Errorf("Exported(%q) = %q is not an exported identifier", tt.wire, got)
		}
	}
}

func TestExportedRejectsNamesWithoutWords(t *testing.T) {
	for _, wire := range []string{"", "_", "__", "-", "🙂", " "} {
		if got, err := Exported(wire); err == nil {
			t.Errorf("Exported(%q) = %q, want an error", wire, got)
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct{ prefix, wire, want string }{
		{"TaskStatus", "SUCCESS", "TaskStatusSuccess"},
		{"Err", "40001", "Err40001"},
		{"Err", "invalid_param", "ErrInvalidParam"},
		{"Quality", "1", "Quality1"},
		{"Mode", "名字", "Mode名字"},
	}
	for _, tt := range tests {
		if got, err := Join(tt.prefix, tt.wire); err != nil || got != tt.want {
			t.Errorf("Join(%q, %q) = %q, %v; want %q", tt.prefix, tt.wire, got, err, tt.want)
		}
	}
}

func TestCheckExported(t *testing.T) {
	for name, ok := range map[string]bool{
		"Video": true, "X1": true, "Ünïcödé": true,
		"type": false, "video": false, "nil": false, "1X": false, "Video-Make": false, "": false, "名字": false,
	} {
		if err := CheckExported(name); (err == nil) != ok {
			t.Errorf("CheckExported(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestCheckPackage(t *testing.T) {
	for name, ok := range map[string]bool{
		"ivh": true, "fullclient": true,
		"runtime": false, "json": false, "http": false, "context": false, "type": false,
		"string": false, "main": false, "a-b": false, "": false,
	} {
		if err := CheckPackage(name); (err == nil) != ok {
			t.Errorf("CheckPackage(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
