package server_test

import (
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const (
	codeFailedPrecondition = codes.FailedPrecondition
	codeUnavailable        = codes.Unavailable
)

func statusCode(err error) codes.Code { return status.Code(err) }
