package mail

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts delivery outcomes. A nil *Metrics counts nothing.
type Metrics struct {
	sent    prometheus.Counter
	retried prometheus.Counter
	failed  prometheus.Counter
}

// NewMetrics registers the delivery counters with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		sent:    prometheus.NewCounter(prometheus.CounterOpts{Name: "accountnet_mail_sent_total", Help: "Mails delivered to the transport."}),
		retried: prometheus.NewCounter(prometheus.CounterOpts{Name: "accountnet_mail_retried_total", Help: "Delivery attempts that failed and were scheduled again."}),
		failed:  prometheus.NewCounter(prometheus.CounterOpts{Name: "accountnet_mail_failed_total", Help: "Mails given up after a permanent error or the last attempt."}),
	}
	reg.MustRegister(m.sent, m.retried, m.failed)
	return m
}

func (m *Metrics) inc(c func(*Metrics) prometheus.Counter) {
	if m != nil {
		c(m).Inc()
	}
}
