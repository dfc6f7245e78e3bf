package blueprint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Logs is the logs block: which engine logs ElastiCache delivers, where, and how the stack's
// log groups keep them.
type Logs struct {
	Configured     bool
	Slow, Engine   bool
	Destination    string
	FirehoseStream string
	Format         string
	RetentionDays  int
	KMSKeyARN      string
	KeepOnDestroy  bool
}

// Log types and destinations as ElastiCache names them (LogDeliveryConfigurationRequest).
const (
	LogTypeSlow            = "slow-log"
	LogTypeEngine          = "engine-log"
	DestinationCloudWatch  = "cloudwatch-logs"
	DestinationFirehose    = "kinesis-firehose"
	LogFormatJSON          = "json"
	LogFormatText          = "text"
	DefaultLogRetention    = 30
	DefaultLogDestination  = DestinationCloudWatch
	DefaultLogFormat       = LogFormatJSON
	logsUnsupportedDetails = "ElastiCache delivers slow and engine logs only from Valkey and Redis OSS replication groups"
)

// LogDestinations and LogFormats are the choices of logs.destination and logs.format.
var (
	LogDestinations = []string{DestinationCloudWatch, DestinationFirehose}
	LogFormats      = []string{LogFormatJSON, LogFormatText}
	// LogRetentionDays are the values CloudWatch Logs accepts (botocore logs
	// PutRetentionPolicy.retentionInDays: "Possible values are: 1, 3, 5, ...").
	LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// LogDeliverySpec is one LogDeliveryConfiguration of the replication group.
type LogDeliverySpec struct {
	LogType, DestinationType, Destination, Format string
}

// LogGroupSpec is a CloudWatch Logs log group the stack creates for a delivered log.
type LogGroupSpec struct {
	Name          string
	RetentionDays int
	KMSKeyARN     string
	Tags          map[string]string
}

// LogGroupName names the stack's log group for a log type: /elasticache/<name>/slow-log.
func LogGroupName(stackName, logType string) string {
	return "/elasticache/" + stackName + "/" + logType
}

// LogGroupPrefix is the prefix of every log group of a stack.
func LogGroupPrefix(stackName string) string { return "/elasticache/" + stackName + "/" }

// WithDefaults fills in the defaults of a configured logs block.
func (l Logs) WithDefaults() Logs {
	if l.Destination == "" {
		l.Destination = DefaultLogDestination
	}
	if l.Format == "" {
		l.Format = DefaultLogFormat
	}
	if l.RetentionDays == 0 {
		l.RetentionDays = DefaultLogRetention
	}
	return l
}

// logTypes lists the enabled log types.
func (l Logs) logTypes() []string {
	var out []string
	if l.Slow {
		out = append(out, LogTypeSlow)
	}
	if l.Engine {
		out = append(out, LogTypeEngine)
	}
	return out
}

// LogDeliveries is where log delivery is decided: one configuration per enabled log type,
// into the stack's log group or the Firehose stream.
func LogDeliveries(in Input) []LogDeliverySpec {
	l := in.Logs.WithDefaults()
	var out []LogDeliverySpec
	for _, t := range l.logTypes() {
		d := LogDeliverySpec{LogType: t, DestinationType: l.Destination, Format: l.Format, Destination: l.FirehoseStream}
		if l.Destination == DestinationCloudWatch {
			d.Destination = LogGroupName(in.Name, t)
		}
		out = append(out, d)
	}
	return out
}

// LogGroups are the log groups the stack owns: one per log type delivered to CloudWatch Logs.
func LogGroups(in Input) []LogGroupSpec {
	l := in.Logs.WithDefaults()
	if l.Destination != DestinationCloudWatch {
		return nil
	}
	var out []LogGroupSpec
	for _, t := range l.logTypes() {
		out = append(out, LogGroupSpec{Name: LogGroupName(in.Name, t), RetentionDays: l.RetentionDays, KMSKeyARN: l.KMSKeyARN, Tags: in.Tags})
	}
	return out
}

// validateLogs checks the logs block: only replication groups deliver logs, each log type from
// the engine version AWS documents, and the destination settings that go together.
func validateLogs(in Input) []Problem {
	l, u := in.Logs, in.Unknown
	if !l.Configured || u[AttrLogs] {
		return nil
	}
	var ps []Problem
	if in.Known(AttrMode) && in.Known(AttrEngine) {
		switch in.Shape() {
		case ShapeServerless:
			return []Problem{{AttrLogs, "Serverless caches deliver no logs", logsUnsupportedDetails + "; a serverless cache has no log delivery. Remove logs, or use mode = \"provisioned\"."}}
		case ShapeMemcachedCluster:
			return []Problem{{AttrLogs, "Memcached delivers no logs", logsUnsupportedDetails + "; Memcached has no slow or engine log. Remove logs, or use engine = \"valkey\"."}}
		}
	}
	// Slow log: Redis OSS 6.0+ (and every Valkey); engine log: Redis OSS 6.2+ (ElastiCache
	// "Log delivery" page; hashicorp/aws #46443).
	if in.Known(AttrEngine) && in.Known(AttrEngineVersion) && in.Engine == EngineRedis {
		if l.Slow && CompareVersions(in.EngineVersion, "6.0") < 0 {
			ps = append(ps, Problem{AttrLogsSlow, "Engine too old for the slow log", fmt.Sprintf("slow log delivery needs Redis OSS 6.0 or later (or Valkey); this stack runs redis %s.", in.EngineVersion)})
		}
		if l.Engine && CompareVersions(in.EngineVersion, "6.2") < 0 {
			ps = append(ps, Problem{AttrLogsEngine, "Engine too old for the engine log", fmt.Sprintf("engine log delivery needs Redis OSS 6.2 or later (or Valkey); this stack runs redis %s.", in.EngineVersion)})
		}
	}
	full := l.WithDefaults()
	if !u[AttrLogsDestination] && full.Destination == DestinationFirehose && l.FirehoseStream == "" && !u[AttrLogsFirehoseStream] {
		ps = append(ps, Problem{AttrLogsFirehoseStream, "Missing Firehose stream", "destination = \"kinesis-firehose\" needs firehose_stream: the name of the delivery stream."})
	}
	if !u[AttrLogsDestination] && full.Destination == DestinationCloudWatch {
		if l.FirehoseStream != "" {
			ps = append(ps, Problem{AttrLogsFirehoseStream, "Firehose stream without Firehose", "firehose_stream applies to destination = \"kinesis-firehose\"; remove it or change the destination."})
		}
		if !u[AttrLogsRetentionDays] && !slices.Contains(LogRetentionDays, full.RetentionDays) {
			ps = append(ps, Problem{AttrLogsRetentionDays, "Invalid retention", fmt.Sprintf("CloudWatch Logs keeps logs for one of: %s days; got %d.", joinInts(LogRetentionDays), full.RetentionDays)})
		}
	}
	if !u[AttrLogsKMSKeyARN] && l.KMSKeyARN != "" && !kmsARNPattern.MatchString(l.KMSKeyARN) {
		ps = append(ps, Problem{AttrLogsKMSKeyARN, "Invalid KMS key ARN", fmt.Sprintf("%q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).", l.KMSKeyARN)})
	}
	return ps
}

func joinInts(values []int) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ", ")
}

// LogsWarning tells the reviewer that a log delivery change is applied at once: AWS applies
// LogDeliveryConfigurations only with ApplyImmediately (hashicorp/aws #49842).
func LogsWarning(prior, planned Input) *Warning {
	if !planned.Known(AttrLogs) || slices.Equal(LogDeliveries(prior), LogDeliveries(planned)) {
		return nil
	}
	return &Warning{AttrLogs, "Log delivery changes now",
		"AWS applies log delivery changes only immediately, so this apply sends them with ApplyImmediately = true (whatever provisioned.apply_immediately says); the cache stays available."}
}
