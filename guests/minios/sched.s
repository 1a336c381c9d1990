; Tasks, the round-robin scheduler, the timer interrupt and the system calls.
; The kernel is not preemptible: it runs with IF = 0 on one kernel stack, which holds at
; most one interrupt frame, always at KSTACK_TOP - FRAME_BYTES.

        .macro SAVE_ALL
        push    r0
        push    r1
        push    r2
        push    r3
        push    r4
        push    r5
        push    r6
        .endm

        .macro RESTORE_ALL
        pop     r6
        pop     r5
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        pop     r0
        .endm

; task_init: r4 = task, r1 = entry, r2 = id
task_init:
        st      [r4+T_PC], r1
        st      [r4+T_ID], r2
        mov     r0, 3
        st      [r4+T_CPL], r0
        mov     r0, FLAG_IF
        st      [r4+T_FLAGS], r0
        mov     r0, USER_TOP
        st      [r4+T_USP], r0
        mov     r0, 1
        st      [r4+T_STATE], r0
        jmp     address_space

; copy_frame: r1 = from, r2 = to (FRAME_BYTES bytes)
copy_frame:
        mov     r3, FRAME_BYTES
copy_word:
        ld      r0, [r1]
        st      [r2], r0
        add     r1, 4
        add     r2, 4
        sub     r3, 4
        jnz     copy_word
        ret

save_current:
        mov     r1, KSTACK_TOP - FRAME_BYTES
        ld      r2, [current]
        jmp     copy_frame

; schedule: makes the next runnable task after the current one current; shuts down when none is left
schedule:
        ld      r1, [current]
        mov     r2, NTASKS
schedule_next:
        add     r1, T_SIZE
        cmp     r1, task_table + NTASKS * T_SIZE
        jb      schedule_check
        mov     r1, task_table
schedule_check:
        ld      r0, [r1+T_STATE]
        cmp     r0, 1
        jz      schedule_found
        sub     r2, 1
        jnz     schedule_next
        jmp     shutdown
schedule_found:
        ld      r0, [current]
        cmp     r0, r1
        jz      schedule_same
        st      [current], r1
        ld      r0, [switches]
        add     r0, 1
        st      [switches], r0
        ld      r0, [r1+T_PD]
        PLAT_LOAD_CR3 r0
schedule_same:
        ret

; switch_to_current: resumes the current task from its saved frame
switch_to_current:
        mov     sp, KSTACK_TOP - FRAME_BYTES
        ld      r1, [current]
        mov     r2, sp
        call    copy_frame
        RESTORE_ALL
        PLAT_IRET

timer_irq:
        SAVE_ALL
        PLAT_EOI
        ld      r0, [ticks]
        add     r0, 1
        st      [ticks], r0
        call    save_current
        call    schedule
        jmp     switch_to_current

syscall_entry:
        SAVE_ALL
        cmp     r0, SYS_WRITE
        jz      sys_write
        cmp     r0, SYS_GETPID
        jz      sys_getpid
        cmp     r0, SYS_YIELD
        jz      sys_yield
        cmp     r0, SYS_EXIT
        jz      task_exit
        mov     r0, -1
syscall_return:
        st      [sp+24], r0             ; the saved r0 is the result
        RESTORE_ALL
        PLAT_IRET

; write(buf = r1, len = r2): the kernel reads the task's memory in its address space
sys_write:
        mov     r3, r2
sys_write_byte:
        cmp     r3, 0
        jz      sys_write_done
        ldb     r0, [r1]
        PLAT_PUTC r0
        add     r1, 1
        sub     r3, 1
        jmp     sys_write_byte
sys_write_done:
        mov     r0, r2
        jmp     syscall_return

sys_getpid:
        ld      r0, [current]
        ld      r0, [r0+T_ID]
        jmp     syscall_return

sys_yield:
        mov     r0, 0
        st      [sp+24], r0
        call    save_current
        call    schedule
        jmp     switch_to_current

; task_exit: r1 = exit code
task_exit:
        push    r1
        mov     r1, msg_task
        call    kputs
        ld      r1, [current]
        ld      r1, [r1+T_ID]
        call    kputdec
        mov     r1, msg_exited
        call    kputs
        pop     r1
        call    kputdec
        mov     r1, msg_nl
        call    kputs
        ld      r1, [current]
        mov     r0, 0
        st      [r1+T_STATE], r0
        call    schedule
        jmp     switch_to_current

shutdown:
        mov     r0, 0
        PLAT_SET_TIMER r0
        mov     r1, msg_done
        call    kputs
        ld      r1, [ticks]
        call    kputdec
        mov     r1, msg_ticks
        call    kputs
        ld      r1, [switches]
        call    kputdec
        mov     r1, msg_switches
        call    kputs
        ld      r1, [page_faults]
        call    kputdec
        mov     r1, msg_faults
        call    kputs
        mov     r0, 0
        PLAT_EXIT r0
